// How the Runs screen orders its table: by any column, either way, with the runs that
// have no value for the column (no metric yet, not started) always last — a run that
// never reached an epoch is not "the best" in either direction. Pure, unit-tested.

/** The fields of a run the table sorts on (a subset of RunRow, so tests need no full row). */
export interface SortableRun {
  id: number;
  name: string;
  createdAt: string;
  status: string;
  modelKind: string | null;
  bestValAccuracy: number | null;
  bestValLoss: number | null;
  epochsRun: number;
  seconds: number | null;
}

export type SortKey = 'name' | 'created' | 'status' | 'modelKind' | 'bestValAccuracy' | 'bestValLoss' | 'epochs' | 'duration';
export type SortDirection = 'asc' | 'desc';
export interface RunSort {
  key: SortKey;
  direction: SortDirection;
}

/** Newest first, as the Train screen lists them. */
export const DEFAULT_SORT: RunSort = { key: 'created', direction: 'desc' };

/** The column headers, in table order, with the words they show. */
export const SORT_COLUMNS: readonly { key: SortKey; label: string; numeric: boolean }[] = [
  { key: 'name', label: 'Run', numeric: false },
  { key: 'created', label: 'Created', numeric: false },
  { key: 'status', label: 'Status', numeric: false },
  { key: 'modelKind', label: 'Model', numeric: false },
  { key: 'bestValAccuracy', label: 'Best val. accuracy', numeric: true },
  { key: 'bestValLoss', label: 'Best val. loss', numeric: true },
  { key: 'epochs', label: 'Epochs', numeric: true },
  { key: 'duration', label: 'Duration', numeric: true },
];

/**
 * The first click on a column sorts it the way a person looks for "the best": highest
 * accuracy, lowest loss, newest, longest; names, statuses and models A to Z.
 */
export function firstDirection(key: SortKey): SortDirection {
  return key === 'name' || key === 'status' || key === 'modelKind' || key === 'bestValLoss' ? 'asc' : 'desc';
}

/** Clicking a header: the same column flips, another column starts at its first direction. */
export function nextSort(current: RunSort, key: SortKey): RunSort {
  if (current.key === key) return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { key, direction: firstDirection(key) };
}

type Value = string | number | null;

function finite(x: number | null): number | null {
  return x !== null && Number.isFinite(x) ? x : null;
}

/** A run's value in a column; null when it has none (it sorts last). */
export function sortValue(run: SortableRun, key: SortKey): Value {
  switch (key) {
    case 'name':
      return run.name;
    case 'created': {
      const t = Date.parse(run.createdAt);
      return Number.isNaN(t) ? null : t;
    }
    case 'status':
      return run.status;
    case 'modelKind':
      return run.modelKind;
    case 'bestValAccuracy':
      return finite(run.bestValAccuracy);
    case 'bestValLoss':
      return finite(run.bestValLoss);
    case 'epochs':
      return run.epochsRun;
    case 'duration':
      return finite(run.seconds);
  }
}

// Names compare as people read them: "Run 2" before "Run 10", case ignored.
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function compareValues(a: Exclude<Value, null>, b: Exclude<Value, null>): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

/**
 * The runs ordered by a column; nulls last in both directions; ties newest first (higher
 * id), so the order is stable across reloads. Returns a new array.
 */
export function sortRuns<R extends SortableRun>(runs: readonly R[], sort: RunSort): R[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...runs].sort((a, b) => {
    const va = sortValue(a, sort.key);
    const vb = sortValue(b, sort.key);
    if (va === null && vb !== null) return 1;
    if (vb === null && va !== null) return -1;
    const c = va === null || vb === null ? 0 : sign * compareValues(va, vb);
    return c !== 0 ? c : b.id - a.id;
  });
}

/** What grouping needs of a run: its kind and, for an ensemble member, its ensemble. */
export interface GroupableRun {
  id: number;
  kind?: string;
  parentRunId?: number | null;
}

/**
 * The sorted runs with each ensemble's members right under it (oldest member first): the
 * sort orders ensembles and single runs, and a member always stays with its ensemble. A
 * member whose ensemble is not in the list keeps its own place.
 */
export function withMembersUnder<R extends GroupableRun>(sorted: readonly R[]): R[] {
  const present = new Set(sorted.map((r) => r.id));
  const members = new Map<number, R[]>();
  for (const r of sorted) {
    if (r.kind === 'member' && r.parentRunId != null && present.has(r.parentRunId)) {
      const list = members.get(r.parentRunId) ?? [];
      list.push(r);
      members.set(r.parentRunId, list);
    }
  }
  const out: R[] = [];
  for (const r of sorted) {
    if (r.kind === 'member' && r.parentRunId != null && present.has(r.parentRunId)) continue;
    out.push(r);
    const under = members.get(r.id);
    if (under) out.push(...[...under].sort((a, b) => a.id - b.id));
  }
  return out;
}

/** The value of a header's aria-sort. */
export function ariaSort(sort: RunSort, key: SortKey): 'ascending' | 'descending' | 'none' {
  if (sort.key !== key) return 'none';
  return sort.direction === 'asc' ? 'ascending' : 'descending';
}
