// Errors as the forms show them: which field they belong to and the server's words.
import { ApiError } from '../../../electron/api/errors.js';

export interface FieldErrors {
  /** Messages by field name (ApiError.field), e.g. { dir: '… is not empty' }. */
  fields: Record<string, string>;
  /** A message that belongs to no field of the form. */
  general: string | null;
}

export const noErrors: FieldErrors = { fields: {}, general: null };

/** Places an error under the field it names when the form has that field, else at the top. */
export function toFieldErrors(err: unknown, formFields: readonly string[]): FieldErrors {
  const message = messageOf(err);
  if (err instanceof ApiError && err.field) {
    const top = err.field.split('.')[0]!;
    const field = formFields.includes(err.field) ? err.field : formFields.includes(top) ? top : null;
    if (field) return { fields: { [field]: message }, general: null };
  }
  return { fields: {}, general: message };
}

export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
