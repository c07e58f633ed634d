// The Split screen's state: the wizard's form and its live preview (split.preview,
// debounced, newest answer wins), saving a version, the saved versions, placing new
// images, the leakage check and the test lockbox. Made once by the shell so the form
// survives a visit to another screen; the view connects it while it shows.
import type { Response } from '../../../../electron/api/contract.js';
import type { HoldoutClient } from '../api/client.js';
import { messageOf } from '../errors.js';
import { Debounce, Latest } from '../split/latest.js';
import {
  checkForm,
  DEFAULT_FORM,
  formFromVersion,
  randomSeed,
  type FormCheck,
  type SplitForm,
} from '../split/split-form.js';

export type SplitReport = Response<'split.preview'>;
export type VersionSummary = Response<'split.list'>['versions'][number];
export type CurrentSplit = NonNullable<Response<'split.current'>>;
export type LeakageView = Response<'split.leakage'>;
export type LockboxView = Response<'lockbox.status'>;
export type LedgerEntryView = Response<'lockbox.ledger'>['entries'][number];
export type AssignNewView = Response<'split.assignNew'>;

/** How long typing may pause before the preview is asked for. */
export const PREVIEW_DELAY_MS = 350;

export class SplitState {
  readonly #api: HoldoutClient;

  /** The wizard's fields, bound by the view. */
  form = $state<SplitForm>({ ...DEFAULT_FORM, seed: String(randomSeed()) });
  #check = $derived<FormCheck>(checkForm(this.form));
  #requestKey = $derived(this.#check.request ? JSON.stringify(this.#check.request) : '');

  #preview = $state.raw<SplitReport | null>(null);
  #previewKey = $state('');
  #previewError = $state<string | null>(null);
  #previewing = $state(false);
  readonly #previewTicket = new Latest();
  readonly #previewDelay = new Debounce(PREVIEW_DELAY_MS);

  #saving = $state(false);
  #saveError = $state<string | null>(null);
  #savedId = $state<number | null>(null);

  #versions = $state.raw<VersionSummary[]>([]);
  #current = $state.raw<CurrentSplit | null>(null);
  #versionsLoaded = $state(false);
  #versionsError = $state<string | null>(null);
  #formFromCurrent = false;

  #leakage = $state.raw<LeakageView | null>(null);
  #leakageLoading = $state(false);
  #leakageError = $state<string | null>(null);

  #assigning = $state(false);
  #assignResult = $state.raw<AssignNewView | null>(null);
  #assignError = $state<string | null>(null);
  allowTest = $state(false);

  #lockbox = $state.raw<LockboxView | null>(null);
  #ledger = $state.raw<LedgerEntryView[]>([]);
  #lockboxError = $state<string | null>(null);

  #changedTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(api: HoldoutClient) {
    this.#api = api;
  }

  get check(): FormCheck {
    return this.#check;
  }
  /** The request as text: changes exactly when the preview must be asked again. */
  get requestKey(): string {
    return this.#requestKey;
  }
  get preview(): SplitReport | null {
    return this.#preview;
  }
  /** True when the preview shows the form as it is now. */
  get previewFresh(): boolean {
    return this.#preview !== null && this.#previewKey === this.#requestKey;
  }
  get previewError(): string | null {
    return this.#previewError;
  }
  get previewing(): boolean {
    return this.#previewing;
  }
  get saving(): boolean {
    return this.#saving;
  }
  get saveError(): string | null {
    return this.#saveError;
  }
  /** The version the last save made (for the "saved" note). */
  get savedId(): number | null {
    return this.#savedId;
  }
  get versions(): VersionSummary[] {
    return this.#versions;
  }
  get current(): CurrentSplit | null {
    return this.#current;
  }
  get versionsLoaded(): boolean {
    return this.#versionsLoaded;
  }
  get versionsError(): string | null {
    return this.#versionsError;
  }
  /** Labeled, included images the current split does not place yet (labeled or imported since), or null before a split. */
  get pendingImages(): number | null {
    return this.#current?.unassigned ?? null;
  }
  /**
   * The images placing would add: pendingImages less those the last placing on this
   * version held back (a group already in test keeps them out until the user decides).
   */
  get placeableImages(): number | null {
    const pending = this.pendingImages;
    if (pending === null) return null;
    const last = this.#assignResult;
    return last && last.version.id === this.#current?.id ? Math.max(0, pending - last.heldBack) : pending;
  }
  get leakage(): LeakageView | null {
    return this.#leakage;
  }
  get leakageLoading(): boolean {
    return this.#leakageLoading;
  }
  get leakageError(): string | null {
    return this.#leakageError;
  }
  get assigning(): boolean {
    return this.#assigning;
  }
  get assignResult(): AssignNewView | null {
    return this.#assignResult;
  }
  get assignError(): string | null {
    return this.#assignError;
  }
  get lockbox(): LockboxView | null {
    return this.#lockbox;
  }
  get ledger(): LedgerEntryView[] {
    return this.#ledger;
  }
  get lockboxError(): string | null {
    return this.#lockboxError;
  }

  newSeed(): void {
    this.form.seed = String(randomSeed());
  }

  resetForm(): void {
    Object.assign(this.form, { ...DEFAULT_FORM, seed: String(randomSeed()) });
  }

  /** Puts a saved version's settings in the form (to make it again, or change it a little). */
  loadVersion(v: VersionSummary): void {
    Object.assign(this.form, formFromVersion(v));
  }

  /** The form changed: ask for a preview once typing pauses. */
  schedulePreview(delay = PREVIEW_DELAY_MS): void {
    this.#previewDelay.cancel();
    if (!this.#check.request) {
      this.#previewTicket.invalidate(); // an answer still on its way is for an older form
      this.#previewing = false;
      return;
    }
    this.#previewDelay.schedule(() => void this.runPreview(), delay);
  }

  async runPreview(): Promise<void> {
    const request = this.#check.request;
    if (!request) return;
    const key = this.#requestKey;
    const ticket = this.#previewTicket.next();
    this.#previewing = true;
    try {
      const report = await this.#api.call('split.preview', request);
      if (!this.#previewTicket.isCurrent(ticket)) return;
      this.#preview = report;
      this.#previewKey = key;
      this.#previewError = null;
    } catch (err) {
      if (!this.#previewTicket.isCurrent(ticket)) return;
      this.#previewError = messageOf(err);
    } finally {
      if (this.#previewTicket.isCurrent(ticket)) this.#previewing = false;
    }
  }

  async save(): Promise<void> {
    const request = this.#check.request;
    if (!request || this.#saving) return;
    this.#saving = true;
    this.#saveError = null;
    try {
      const report = await this.#api.call('split.save', request);
      this.#savedId = report.version?.id ?? null;
      this.#preview = report;
      this.#previewKey = JSON.stringify(request);
      this.#assignResult = null;
      await this.refresh();
      await this.checkLeakage();
    } catch (err) {
      this.#saveError = messageOf(err);
    } finally {
      this.#saving = false;
    }
  }

  /** Versions, the current one (with the count of images it lacks) and the lockbox. */
  async refresh(): Promise<void> {
    try {
      const [list, current] = await Promise.all([this.#api.call('split.list', {}), this.#api.call('split.current', {})]);
      this.#versions = list.versions;
      this.#current = current;
      this.#versionsError = null;
      // The first visit after a split exists: show its settings, so the preview is that split.
      if (current && !this.#formFromCurrent && this.#savedId === null) {
        this.#formFromCurrent = true;
        this.loadVersion(current);
      }
    } catch (err) {
      this.#versionsError = messageOf(err);
    } finally {
      this.#versionsLoaded = true;
    }
    await this.#loadLockbox();
  }

  async #loadLockbox(): Promise<void> {
    const current = this.#current;
    if (!current) {
      this.#lockbox = null;
      this.#ledger = [];
      return;
    }
    try {
      const [status, ledger] = await Promise.all([
        this.#api.call('lockbox.status', { versionId: current.id }),
        this.#api.call('lockbox.ledger', {}),
      ]);
      this.#lockbox = status;
      this.#ledger = ledger.entries;
      this.#lockboxError = null;
    } catch (err) {
      this.#lockboxError = messageOf(err);
    }
  }

  /** The leakage report of the current split, on today's images. */
  async checkLeakage(): Promise<void> {
    if (!this.#current) return;
    this.#leakageLoading = true;
    try {
      this.#leakage = await this.#api.call('split.leakage', {});
      this.#leakageError = null;
    } catch (err) {
      this.#leakageError = messageOf(err);
    } finally {
      this.#leakageLoading = false;
    }
  }

  /** Places images added since the current split: train and validation only unless allowed. */
  async assignNew(): Promise<void> {
    if (this.#assigning) return;
    this.#assigning = true;
    this.#assignError = null;
    try {
      this.#assignResult = await this.#api.call('split.assignNew', { allowTest: this.allowTest });
    } catch (err) {
      this.#assignError = messageOf(err);
      return;
    } finally {
      this.#assigning = false;
    }
    await this.refresh();
    await this.checkLeakage();
  }

  thumbUrl(sha: string): string {
    return this.#api.thumbUrl(sha);
  }

  /** Listens for project changes (imports, labels, splits elsewhere); returns how to stop. */
  connect(): () => void {
    const stopChanged = this.#api.on('project.changed', () => this.#onProjectChanged());
    const stopReconnect = this.#api.onReconnect(() => this.#onProjectChanged());
    return () => {
      stopChanged();
      stopReconnect();
      if (this.#changedTimer) clearTimeout(this.#changedTimer);
      this.#changedTimer = null;
      this.#previewDelay.cancel();
    };
  }

  /** At most about once a second: an import streams many changes. */
  #onProjectChanged(): void {
    if (this.#changedTimer) return;
    this.#changedTimer = setTimeout(() => {
      this.#changedTimer = null;
      void this.refresh();
      this.schedulePreview(0);
    }, 1000);
  }
}
