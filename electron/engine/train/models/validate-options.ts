// Checks on model options. They come from the training form and config files, so a bad
// value is the user's input: an ApiError that names the field and the allowed range.
import { ApiError } from '../../../api/errors.js';

function invalid(field: string, message: string): ApiError {
  return new ApiError('invalid_request', `${field} ${message}`, field);
}

export function requireInteger(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(field, `must be a whole number from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

export function requireNumber(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalid(field, `must be a number from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

/** The run seed: any whole number TF.js and our PRNG read the same way (0 … 2^32 − 1). */
export function requireSeed(value: unknown): number {
  return requireInteger('seed', value, 0, 2 ** 32 - 1);
}

/** `value` (the field at fault) must divide `ofValue` (another field) evenly. */
export function requireDivisor(field: string, value: number, ofField: string, ofValue: number): void {
  if (ofValue % value !== 0) {
    throw invalid(field, `must divide ${ofField} (${ofValue}) evenly, got ${value}`);
  }
}

export function requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(field, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${String(value)}`);
  }
  return value as T;
}

/** Dropout rate: 0 turns it off; above 0.9 almost nothing reaches the next layer. */
export function requireDropout(value: unknown): number {
  return requireNumber('dropout', value, 0, 0.9);
}
