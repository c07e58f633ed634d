// Parsing of the split command's flags into the API's request shapes, with messages
// that name the flag. Kept apart from the command so it can be tested without a process.
import { MAX_HASH_DISTANCE } from '../../api/limits.js';
import type { GroupSource } from '../../engine/splits/types.js';
import { UsageError } from '../output.js';

export const GROUP_BY_HELP = 'folder, csv, near-duplicates[:bits], time:<seconds> or regex:<pattern>';

export function parseRatios(value: string | undefined): { train: number; validation: number; test: number } | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((p) => p.trim());
  const nums = parts.map(Number);
  if (parts.length !== 3 || parts.some((p) => p === '') || nums.some((n) => !Number.isFinite(n))) {
    throw new UsageError(`--ratios must be three numbers train,validation,test such as 70,15,15, not "${value}"`);
  }
  return { train: nums[0]!, validation: nums[1]!, test: nums[2]! };
}

export function parseSeed(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new UsageError(`--seed must be a whole number from 0 to 4294967295, not "${value}"`);
  }
  return n;
}

export function parseThreshold(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > MAX_HASH_DISTANCE) {
    throw new UsageError(`--threshold must be a whole number of bits from 0 to ${MAX_HASH_DISTANCE}, not "${value}"`);
  }
  return n;
}

/** One --group-by value. Only the kind is checked here; the engine checks a pattern. */
export function parseGroupBy(value: string): GroupSource {
  if (value === 'folder' || value === 'csv') return { kind: value };
  if (value.startsWith('regex:')) return { kind: 'regex', pattern: value.slice('regex:'.length) };
  const near = /^near-duplicates(?::(.*))?$/.exec(value);
  if (near) {
    if (near[1] === undefined) return { kind: 'near-duplicates', threshold: 6 };
    const t = Number(near[1]);
    if (near[1] === '' || !Number.isInteger(t) || t < 0 || t > MAX_HASH_DISTANCE) {
      throw new UsageError(`--group-by near-duplicates:<bits> takes a whole number from 0 to ${MAX_HASH_DISTANCE}, not "${near[1]}"`);
    }
    return { kind: 'near-duplicates', threshold: t };
  }
  const time = /^time:(.*)$/.exec(value);
  if (time) {
    const s = Number(time[1]);
    if (time[1]!.trim() === '' || !Number.isFinite(s) || s < 0 || s > 86_400) {
      throw new UsageError(`--group-by time:<seconds> takes a number of seconds from 0 to 86400, not "${time[1]}"`);
    }
    return { kind: 'time', seconds: s };
  }
  throw new UsageError(`--group-by must be ${GROUP_BY_HELP}, not "${value}"`);
}

/** The command-line flag an API field comes from, for error messages. */
export function flagOf(field: string | undefined): string | undefined {
  if (field === undefined) return undefined;
  if (field.startsWith('ratios')) return '--ratios';
  if (field.startsWith('grouping')) return '--group-by';
  if (field === 'seed') return '--seed';
  if (field === 'threshold') return '--threshold';
  if (field === 'versionId') return '--version';
  return undefined;
}

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export const SPLIT_OPTIONS = {
  project: { type: 'string' },
  ratios: { type: 'string' },
  seed: { type: 'string' },
  'group-by': { type: 'string', multiple: true },
  threshold: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'add-new': { type: 'boolean' },
  'allow-test': { type: 'boolean' },
} as const;

export const LEAKAGE_OPTIONS = {
  project: { type: 'string' },
  version: { type: 'string' },
  threshold: { type: 'string' },
} as const;

function projectOf(values: Values, command: string): string {
  const p = values.project;
  if (typeof p !== 'string' || p === '') throw new UsageError(`${command} needs --project <dir>`);
  return p;
}

export function splitArgs(values: Values, positionals: readonly string[]) {
  if (positionals.length) throw new UsageError('split takes no positional arguments');
  const addNew = values['add-new'] === true;
  const groupBy = ((values['group-by'] as string[] | undefined) ?? []).filter((g) => g !== 'none');
  if (addNew && (values.ratios !== undefined || values.seed !== undefined || groupBy.length > 0 || values['dry-run'] === true)) {
    throw new UsageError('--add-new keeps the current split\'s ratios, seed and grouping: leave out --ratios, --seed, --group-by and --dry-run');
  }
  if (!addNew && values['allow-test'] === true) throw new UsageError('--allow-test goes with --add-new');
  return {
    project: projectOf(values, 'split'),
    ratios: parseRatios(values.ratios as string | undefined),
    seed: parseSeed(values.seed as string | undefined),
    grouping: groupBy.map(parseGroupBy),
    threshold: parseThreshold(values.threshold as string | undefined),
    dryRun: values['dry-run'] === true,
    addNew,
    allowTest: values['allow-test'] === true,
  };
}

export function leakageArgs(values: Values, positionals: readonly string[]) {
  if (positionals.length) throw new UsageError('leakage takes no positional arguments');
  const v = values.version as string | undefined;
  const version = v === undefined ? undefined : Number(v);
  if (version !== undefined && (!Number.isInteger(version) || version < 1)) throw new UsageError(`--version must be a split version number, not "${v}"`);
  return { project: projectOf(values, 'leakage'), version, threshold: parseThreshold(values.threshold as string | undefined) };
}
