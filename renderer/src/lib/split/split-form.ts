// The split wizard's form as plain data: what the user typed, checked and turned into
// a split request, plus the words the screen uses for ratios, groupings and splits.
// Pure functions: no DOM, no Svelte, so they are unit-tested directly.
import type { Request } from '../../../../electron/api/contract.js';
import { MAX_HASH_DISTANCE } from '../../../../electron/api/limits.js';

export type SplitKey = 'train' | 'validation' | 'test';
export const SPLIT_KEYS: readonly SplitKey[] = ['train', 'validation', 'test'];

export type GroupingKind = 'none' | 'folder' | 'csv' | 'regex' | 'near-duplicates' | 'time';

export type SplitRequest = Request<'split.preview'>;
export type GroupSourceValue = NonNullable<SplitRequest['grouping']>[number];

/** A number field as the page holds it: text, a number (from a number input), or null when empty. */
export type NumberField = string | number | null;

/** The form's fields as typed, so a half-typed value is not lost. */
export interface SplitForm {
  train: NumberField;
  validation: NumberField;
  test: NumberField;
  grouping: GroupingKind;
  /** Near duplicates kept together as well as the main grouping. */
  alsoNear: boolean;
  pattern: string;
  threshold: NumberField;
  seconds: NumberField;
  seed: string;
}

export const DEFAULT_FORM: Readonly<SplitForm> = {
  train: '70',
  validation: '15',
  test: '15',
  grouping: 'folder',
  alsoNear: false,
  pattern: '^(.+)_frame\\d+',
  threshold: '6',
  seconds: '2',
  seed: '',
};

export const MAX_SEED = 0xffffffff;

/** The usual range of each share, and one line on what the split is for. */
export const SPLIT_INFO: Record<SplitKey, { label: string; min: number; max: number; purpose: string }> = {
  train: {
    label: 'Training',
    min: 60,
    max: 80,
    purpose: 'The images the model learns from. More of them usually means a better model.',
  },
  validation: {
    label: 'Validation',
    min: 10,
    max: 20,
    purpose: 'Checked during training to pick settings and decide when to stop; the model never learns from them.',
  },
  test: {
    label: 'Test',
    min: 10,
    max: 20,
    purpose: 'Locked away until the end, then used once to tell how well the model works on pictures it has never seen.',
  },
};

/** The grouping choices, each with one line on why those images must stay together. */
export const GROUPING_INFO: Record<GroupingKind, { label: string; why: string }> = {
  none: {
    label: 'No grouping',
    why: 'Every image is placed on its own. Fine only when no two photos are related (exact copies are still kept together).',
  },
  folder: {
    label: 'Sub-folder',
    why: 'Photos in one sub-folder below the class folder (one trip, one animal, one video) look alike; split apart, the test would reward memory, not learning.',
  },
  csv: {
    label: 'CSV group column',
    why: 'Rows that share a group in your CSV (one specimen, one patient, one site) stay together, so the test never shows a subject the model has already seen.',
  },
  regex: {
    label: 'File-name pattern',
    why: 'Files whose names share a part (a video id before the frame number) come from one source; frames of one video in training and test would make the score look too good.',
  },
  'near-duplicates': {
    label: 'Near duplicates',
    why: 'Resized, re-saved or barely different copies of one photo stay together; a copy in test of a training photo is a question the model already saw answered.',
  },
  time: {
    label: 'Capture-time bursts',
    why: 'Photos taken seconds apart (a burst) show the same scene; kept together, the test holds moments the model has not seen.',
  },
};

export const GROUPING_KINDS: readonly GroupingKind[] = ['none', 'folder', 'csv', 'regex', 'near-duplicates', 'time'];

export interface FormCheck {
  /** Messages by field: train, validation, test, ratios, pattern, threshold, seconds, seed. */
  errors: Record<string, string>;
  /** The request to send, or null while a field is wrong. */
  request: SplitRequest | null;
}

function wholeNumber(value: NumberField): number | null {
  const t = value === null ? '' : String(value).trim();
  if (!/^\d+$/.test(t)) return null;
  return Number(t);
}

function decimal(value: NumberField): number | null {
  const t = value === null ? '' : String(value).trim();
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

/** The sum of the three shares as typed (unparsable ones count as 0). */
export function ratioSum(form: Pick<SplitForm, SplitKey>): number {
  return SPLIT_KEYS.reduce((s, k) => s + (wholeNumber(form[k]) ?? 0), 0);
}

/** Checks the form and builds the request the API takes. */
export function checkForm(form: SplitForm): FormCheck {
  const errors: Record<string, string> = {};
  const ratios = { train: 0, validation: 0, test: 0 };
  for (const k of SPLIT_KEYS) {
    const n = wholeNumber(form[k]);
    if (n === null || n > 100) errors[k] = 'a whole number from 0 to 100';
    else ratios[k] = n;
  }
  if (!errors.train && !errors.validation && !errors.test) {
    const sum = ratios.train + ratios.validation + ratios.test;
    if (sum !== 100) errors.ratios = `The shares add up to ${sum}%; they must add up to 100%.`;
    else if (ratios.train === 0) errors.train = 'training needs some images';
  }

  const grouping: GroupSourceValue[] = [];
  switch (form.grouping) {
    case 'folder':
    case 'csv':
      grouping.push({ kind: form.grouping });
      break;
    case 'regex': {
      const problem = patternProblem(form.pattern);
      if (problem) errors.pattern = problem;
      else grouping.push({ kind: 'regex', pattern: form.pattern });
      break;
    }
    case 'near-duplicates':
      break; // below, with the extra near-duplicate grouping

    case 'time': {
      const s = decimal(form.seconds);
      if (s === null || s > 86_400) errors.seconds = 'a number of seconds from 0 to 86400 (a day)';
      else grouping.push({ kind: 'time', seconds: s });
      break;
    }
    case 'none':
      break;
  }
  if (form.grouping === 'near-duplicates' || form.alsoNear) {
    const t = wholeNumber(form.threshold);
    if (t === null || t > MAX_HASH_DISTANCE) errors.threshold = `a whole number from 0 to ${MAX_HASH_DISTANCE}`;
    else grouping.push({ kind: 'near-duplicates', threshold: t });
  }

  let seed: number | undefined;
  if (String(form.seed ?? '').trim() !== '') {
    const n = wholeNumber(form.seed);
    if (n === null || n > MAX_SEED) errors.seed = `a whole number from 0 to ${MAX_SEED}`;
    else seed = n;
  }

  if (Object.keys(errors).length > 0) return { errors, request: null };
  const request: SplitRequest = { ratios, grouping };
  if (seed !== undefined) request.seed = seed;
  return { errors, request };
}

/** Why a file-name pattern cannot be used, or null. The server checks it again (and limits it). */
export function patternProblem(pattern: string): string | null {
  if (pattern.length === 0) return 'type a pattern, for example ^(.+)_frame\\d+';
  if (pattern.length > 200) return 'keep the pattern under 200 characters';
  try {
    new RegExp(pattern);
  } catch (err) {
    return `not a valid pattern: ${(err as Error).message}`;
  }
  return null;
}

/**
 * The group a file name falls in under a pattern, as the engine decides it: the first
 * capture group when it matched, else the whole match; null when the name does not
 * match (then the file is a group of its own) or the pattern is not valid.
 */
export function groupKeyOf(pattern: string, fileName: string): string | null {
  if (patternProblem(pattern)) return null;
  const m = new RegExp(pattern).exec(fileName);
  if (!m) return null;
  return m[1] ?? m[0];
}

/** Where a share sits against its usual range, in a few words. */
export function rangeNote(key: SplitKey, value: number): { ok: boolean; text: string } {
  const { min, max } = SPLIT_INFO[key];
  if (value < min) return { ok: false, text: `below the usual ${min}–${max}%` };
  if (value > max) return { ok: false, text: `above the usual ${min}–${max}%` };
  return { ok: true, text: `within the usual ${min}–${max}%` };
}

/** A grouping as the version list shows it: "sub-folder", "file-name pattern ^(.+)_f", "none". */
export function describeGrouping(grouping: readonly GroupSourceValue[]): string {
  if (grouping.length === 0) return 'no grouping';
  return grouping
    .map((g) => {
      switch (g.kind) {
        case 'folder':
          return 'sub-folder';
        case 'csv':
          return 'CSV group';
        case 'regex':
          return `file-name pattern ${g.pattern}`;
        case 'near-duplicates':
          return `near duplicates (distance ${g.threshold ?? 6})`;
        case 'time':
          return `capture-time bursts (${g.seconds} s)`;
      }
    })
    .join(' + ');
}

/** The form that would make a saved version again (its ratios, grouping and seed). */
export function formFromVersion(v: {
  ratios: Record<SplitKey, number>;
  grouping: readonly GroupSourceValue[];
  seed: number;
}): SplitForm {
  const form: SplitForm = {
    ...DEFAULT_FORM,
    train: String(Math.round(v.ratios.train)),
    validation: String(Math.round(v.ratios.validation)),
    test: String(Math.round(v.ratios.test)),
    grouping: 'none',
    seed: String(v.seed),
  };
  // The form holds one main grouping plus near duplicates; a version made elsewhere
  // (the command line) with more sources comes back with its first other one.
  const near = v.grouping.find((g) => g.kind === 'near-duplicates');
  const main = v.grouping.find((g) => g.kind !== 'near-duplicates');
  if (near?.kind === 'near-duplicates') form.threshold = String(near.threshold ?? 6);
  if (main) {
    form.grouping = main.kind;
    form.alsoNear = near !== undefined;
    if (main.kind === 'regex') form.pattern = main.pattern;
    if (main.kind === 'time') form.seconds = String(main.seconds);
  } else if (near) {
    form.grouping = 'near-duplicates';
  }
  return form;
}

/** A share as the table shows it: 70 -> "70%", 14.58 -> "14.6%". */
export function formatShare(percent: number): string {
  if (!Number.isFinite(percent)) return '—';
  const r = Math.round(percent * 10) / 10;
  return `${Number.isInteger(r) ? r.toFixed(0) : r.toFixed(1)}%`;
}

/** A random seed for "New seed" (the server draws its own when none is given). */
export function randomSeed(random: () => number = Math.random): number {
  return Math.floor(random() * (MAX_SEED + 1));
}

/** How far an achieved share is from the target, in percentage points, rounded. */
export function shareGap(target: number, achieved: number): number {
  return Math.round(Math.abs(target - achieved) * 10) / 10;
}

/** A split's name in the screens' words: "Training", "Validation", "Test". */
export function shareLabel(key: SplitKey): string {
  return SPLIT_INFO[key].label;
}
