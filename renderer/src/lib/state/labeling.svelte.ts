// Labeling the Library's images: give the selection a class from the keyboard or the
// action bar, exclude or include it, undo and redo (the history lives in the project,
// so undo works after a restart), and manage the classes. Every change is saved by the
// app at once; here we reload what the grid shows and say what happened.
import type { Response } from '../../../../electron/api/contract.js';
import type { HoldoutClient } from '../api/client.js';
import { messageOf } from '../errors.js';
import { plural } from '../format.js';
import { indexAfterLabel, shownUnder } from '../labeling/keys.js';
import type { LibraryState } from './library.svelte.js';

type HistoryState = Response<'labels.undo'>['history'];

const NO_HISTORY: HistoryState = { canUndo: false, canRedo: false, undoSummary: null, redoSummary: null };

export class LabelingState {
  readonly #api: HoldoutClient;
  readonly #library: LibraryState;
  #history = $state.raw<HistoryState>(NO_HISTORY);
  /** What the last action did, in words (shown in a status line). */
  #message = $state<string | null>(null);
  #error = $state<string | null>(null);
  /** Actions run one after another, in the order the keys were pressed. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(api: HoldoutClient, library: LibraryState) {
    this.#api = api;
    this.#library = library;
  }

  get history(): HistoryState {
    return this.#history;
  }
  get message(): string | null {
    return this.#message;
  }
  get error(): string | null {
    return this.#error;
  }

  async loadHistory(): Promise<void> {
    try {
      const h = await this.#api.call('labels.history', { limit: 1 });
      this.#history = { canUndo: h.canUndo, canRedo: h.canRedo, undoSummary: h.undoSummary, redoSummary: h.redoSummary };
    } catch (err) {
      this.#error = messageOf(err);
    }
  }

  /** Gives the marked images (or the selected one) the class in `slot` of the class list. */
  assignSlot(slot: number): void {
    const cls = this.#library.classes[slot];
    if (!cls) {
      this.#say(null, `There is no class number ${slot + 1}. Add classes with “New class”.`);
      return;
    }
    this.assign(cls.id);
  }

  /** Gives the marked images (or the selected one) a class; null = unlabeled. */
  assign(classId: number | null): void {
    const lib = this.#library;
    // Marked images are taken now (with a range still loading); a single selection is read when the action's turn comes.
    const marked = lib.captureMarks();
    if (!marked && lib.selected === null) return;
    const name = classId === null ? 'unlabeled' : (lib.className(classId) ?? 'that class');
    this.#run(async () => {
      const single = marked === null;
      const ids = marked ? await marked : await lib.settledTargets();
      if (ids.length === 0) {
        this.#say(null, 'The images were still loading, so nothing was labeled. Press the key again.');
        return;
      }
      const index = lib.selected;
      const r = await this.#api.call('labels.assign', { imageIds: ids, classId });
      this.#history = r.history;
      if (!single) lib.clearMarks();
      await lib.reload();
      this.#say(
        r.changed === 0
          ? `${ids.length === 1 ? 'That image already was' : 'Those images already were'} ${name}.`
          : classId === null
            ? `Took the label off ${plural(r.changed, 'image')}.`
            : `Labeled ${plural(r.changed, 'image')} ${name}.`,
      );
      if (single && index !== null) {
        const total = lib.gridTotal ?? 0;
        const next = indexAfterLabel(index, shownUnder(lib.filter.classId, classId), total);
        lib.select(next);
      }
    });
  }

  exclude(reason: string): void {
    const marked = this.#library.captureMarks();
    const single = this.#library.targets();
    if (!marked && single.length === 0) return;
    this.#run(async () => {
      const ids = marked ? await marked : single;
      if (ids.length === 0) return;
      const r = await this.#api.call('labels.exclude', { imageIds: ids, reason });
      this.#history = r.history;
      this.#library.clearMarks();
      await this.#library.reload();
      this.#say(`Excluded ${plural(r.changed, 'image')} from training.`);
    });
  }

  include(): void {
    const marked = this.#library.captureMarks();
    const single = this.#library.targets();
    if (!marked && single.length === 0) return;
    this.#run(async () => {
      const ids = marked ? await marked : single;
      if (ids.length === 0) return;
      const r = await this.#api.call('labels.include', { imageIds: ids });
      this.#history = r.history;
      this.#library.clearMarks();
      await this.#library.reload();
      this.#say(`Included ${plural(r.changed, 'image')} in training again.`);
    });
  }

  undo(): void {
    this.#run(async () => {
      const r = await this.#api.call('labels.undo', {});
      this.#history = r.history;
      await this.#library.reload();
      this.#say(r.entry ? `Undid: ${r.entry.summary}` : 'Nothing to undo.');
    });
  }

  redo(): void {
    this.#run(async () => {
      const r = await this.#api.call('labels.redo', {});
      this.#history = r.history;
      await this.#library.reload();
      this.#say(r.entry ? `Redid: ${r.entry.summary}` : 'Nothing to redo.');
    });
  }

  /** Class changes resolve to an error message (for the form that asked) or null. */
  createClass(name: string): Promise<string | null> {
    return this.#classAction(async () => {
      const r = await this.#api.call('classes.create', { name });
      this.#history = r.history;
      return `Added the class ${r.class?.name ?? name}.`;
    });
  }

  renameClass(id: number, name: string): Promise<string | null> {
    const old = this.#library.className(id);
    return this.#classAction(async () => {
      const r = await this.#api.call('classes.rename', { id, name });
      this.#history = r.history;
      return `Renamed ${old ?? 'the class'} to ${r.class?.name ?? name}.`;
    });
  }

  mergeClass(fromId: number, intoId: number): Promise<string | null> {
    const from = this.#library.className(fromId);
    const into = this.#library.className(intoId);
    return this.#classAction(async () => {
      const r = await this.#api.call('classes.merge', { fromId, intoId });
      this.#history = r.history;
      return `Merged ${from} into ${into}: ${plural(r.movedImages, 'image')} moved.`;
    });
  }

  deleteClass(id: number, moveImagesTo: number | null): Promise<string | null> {
    const name = this.#library.className(id);
    const to = moveImagesTo === null ? 'unlabeled' : this.#library.className(moveImagesTo);
    return this.#classAction(async () => {
      const r = await this.#api.call('classes.delete', { id, moveImagesTo });
      this.#history = r.history;
      return `Deleted the class ${name}; ${plural(r.movedImages, 'image')} now ${moveImagesTo === null ? 'unlabeled' : `in ${to}`}.`;
    });
  }

  /** Writes path,label,group,split to a new CSV in the project's exports folder. */
  exportCsv(): void {
    this.#run(async () => {
      const r = await this.#api.call('labels.exportCsv', {});
      this.#say(`Saved ${plural(r.rows, 'row')} of labels to ${r.path}`);
    });
  }

  dismiss(): void {
    this.#message = null;
    this.#error = null;
  }

  #classAction(action: () => Promise<string>): Promise<string | null> {
    return new Promise((resolve) => {
      this.#queue = this.#queue.then(async () => {
        try {
          const said = await action();
          // A class that the grid was filtered on may be gone: show everything then.
          const c = this.#library.classChoice;
          await this.#library.loadCounts();
          if (c.kind === 'class' && !this.#library.classes.some((x) => x.id === c.id)) {
            this.#library.chooseClass({ kind: 'all' });
          }
          await this.#library.reload();
          this.#say(said);
          resolve(null);
        } catch (err) {
          resolve(messageOf(err));
        }
      });
    });
  }

  #run(action: () => Promise<void>): void {
    this.#queue = this.#queue.then(async () => {
      try {
        await action();
      } catch (err) {
        this.#say(null, messageOf(err));
      }
    });
  }

  #say(message: string | null, error: string | null = null): void {
    this.#message = message;
    this.#error = error;
  }
}
