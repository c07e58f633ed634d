// The steps of "Evaluate on test…": the lockbox warning, then — when the test set was
// opened before — a second, stronger confirmation, then the request that spends a use.
// Pure functions of the lockbox status and the boxes the user ticked, so the rules
// (never without the first box; never a reuse without the second) are tested directly.

export interface LockboxFacts {
  /** How many times this split version's test set was opened before. */
  uses: number;
  testImages: number;
}

export type LockboxStep = 'warn' | 'reuse';

export interface LockboxDialogState {
  step: LockboxStep;
  facts: LockboxFacts;
  /** "I understand the test set is used once" (first step). */
  understood: boolean;
  /** "Use it again anyway" (second step, only when it was opened before). */
  reuseUnderstood: boolean;
}

export interface TestRequestFlags {
  confirm: true;
  confirmReuse: boolean;
}

/** The dialog as it opens: always the warning first. */
export function openDialog(facts: LockboxFacts): LockboxDialogState {
  return { step: 'warn', facts, understood: false, reuseUnderstood: false };
}

/** Why the test set cannot be evaluated at all (null: it can). */
export function blockedReason(facts: LockboxFacts): string | null {
  if (facts.testImages <= 0) return 'This split has no test images, so there is nothing to evaluate on. Make a split with a test share on the Split screen.';
  return null;
}

/** The test set was opened before: the second confirmation is needed. */
export function needsReuse(facts: LockboxFacts): boolean {
  return facts.uses > 0;
}

/** The mark the new result will carry: null the first time, "test set reused (n)" after. */
export function nextReuseMark(facts: LockboxFacts): string | null {
  return facts.uses > 0 ? `test set reused (${facts.uses + 1})` : null;
}

/** Whether the dialog's main button may be pressed now. */
export function canProceed(state: LockboxDialogState): boolean {
  if (blockedReason(state.facts)) return false;
  return state.step === 'warn' ? state.understood : state.understood && state.reuseUnderstood;
}

/** The main button's words at this step. */
export function proceedLabel(state: LockboxDialogState): string {
  if (state.step === 'warn' && needsReuse(state.facts)) return 'Continue…';
  if (state.step === 'reuse') return 'Evaluate on test again';
  return 'Evaluate on test';
}

/**
 * The main button pressed: the next step, or the flags of the request to send.
 * Pressing it when it may not be pressed changes nothing.
 */
export function proceed(state: LockboxDialogState): { state: LockboxDialogState } | { request: TestRequestFlags } {
  if (!canProceed(state)) return { state };
  if (state.step === 'warn' && needsReuse(state.facts)) return { state: { ...state, step: 'reuse', reuseUnderstood: false } };
  return { request: { confirm: true, confirmReuse: needsReuse(state.facts) } };
}

/** "Back" on the second step returns to the warning, with its box still ticked. */
export function back(state: LockboxDialogState): LockboxDialogState {
  return state.step === 'reuse' ? { ...state, step: 'warn', reuseUnderstood: false } : state;
}

/** "never", "once", "3 times" */
export function timesWords(n: number): string {
  if (n <= 0) return 'never';
  if (n === 1) return 'once';
  if (n === 2) return 'twice';
  return `${n} times`;
}
