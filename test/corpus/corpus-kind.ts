// One kind of bad input in the corpus: how to make it, and what a correct outcome is.
// Each test file runs its kinds through the real entry point and records the verdict
// in a tally; the last test of each file prints "N kinds tried, N passed".

/** 'works': the input is accepted; a RegExp: it is refused with a message matching it. */
export type Expected = 'works' | RegExp;

export interface Tally {
  area: string;
  tried: string[];
  passed: string[];
}

export function newTally(area: string): Tally {
  return { area, tried: [], passed: [] };
}

/** Runs one kind's check, counting it as tried, and as passed only when it returns. */
export async function check(tally: Tally, kind: string, body: () => void | Promise<void>): Promise<void> {
  tally.tried.push(kind);
  await body();
  tally.passed.push(kind);
}

export function summaryLine(tally: Tally): string {
  return `[bad-inputs] ${tally.area}: ${tally.tried.length} kinds tried, ${tally.passed.length} passed`;
}
