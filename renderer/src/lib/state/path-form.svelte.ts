// A form built around one path field (PathField): the path typed or chosen with Browse…,
// the "type a path" message when the form is sent with it empty, the busy flag while it is
// sent, and a refusal placed under the field it names. Creating a project, opening one and
// importing a backbone folder share it, so a path is chosen and sent the same way in each.
import { noErrors, toFieldErrors, type FieldErrors } from '../errors.js';
import type { FolderPicker, PickRequest } from './folder-picker.svelte.js';

export interface PathFormOptions {
  /** What the folder browser asks; it starts at the typed path, else the home folder. */
  pick: Omit<PickRequest, 'start'>;
  /** The path's field name, as errors name it (e.g. 'dir'). */
  field: string;
  /** Every field of the form, to place a refusal under the one it names (see toFieldErrors). */
  formFields: readonly string[];
  /** Said under the path's field when the form is sent with it empty. */
  missing: string;
  /** Sends the trimmed path; what it throws becomes the form's errors. */
  send: (path: string) => Promise<unknown>;
}

export interface PathFormContext {
  app: { readonly homeDir: string };
  picker: FolderPicker;
}

export class PathForm {
  /** The path as typed or chosen (untrimmed: it is what the field shows). */
  path = $state('');
  #errors = $state.raw<FieldErrors>(noErrors);
  #busy = $state(false);
  readonly #context: PathFormContext;
  readonly #options: PathFormOptions;

  constructor(context: PathFormContext, options: PathFormOptions) {
    this.#context = context;
    this.#options = options;
  }

  get errors(): FieldErrors {
    return this.#errors;
  }
  get busy(): boolean {
    return this.#busy;
  }

  /** Forgets the errors shown: the person is changing the path. */
  clearErrors(): void {
    this.#errors = noErrors;
  }

  /** Lets the person choose the path in the folder browser (or the system dialog). */
  async browse(): Promise<void> {
    const path = await this.#context.picker.pick({ ...this.#options.pick, start: this.path || this.#context.app.homeDir });
    if (path) {
      this.path = path;
      this.#errors = noErrors;
    }
  }

  async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const path = this.path.trim();
    if (!path) {
      this.#errors = { fields: { [this.#options.field]: this.#options.missing }, general: null };
      return;
    }
    this.#busy = true;
    this.#errors = noErrors;
    try {
      await this.#options.send(path);
    } catch (err) {
      this.#errors = toFieldErrors(err, this.#options.formFields);
    } finally {
      this.#busy = false;
    }
  }
}
