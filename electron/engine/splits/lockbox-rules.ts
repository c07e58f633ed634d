// The lockbox's rules, apart from the database: opening a test set needs an explicit
// confirmation; opening it again needs a second one, because every look at a test
// result that informs a later choice turns the test set into another validation set.
// Results of a reused test set carry the mark "test set reused (n)", n being how many
// times the set has been opened, this time included.
import { ApiError } from '../../api/errors.js';

export interface Consent {
  confirm?: boolean | undefined;
  confirmReuse?: boolean | undefined;
}

/** Throws a 'forbidden' ApiError naming the missing confirmation; `priorUses` excludes this one. */
export function checkLockboxConsent(priorUses: number, consent: Consent): void {
  if (consent.confirm !== true) {
    throw new ApiError(
      'forbidden',
      'Evaluating on the test set is a deliberate, recorded act: the test images stay locked until you confirm (confirm: true). ' +
        'Use the validation set to compare and tune models; open the test set once, at the end.',
      'confirm',
    );
  }
  if (priorUses >= 1 && consent.confirmReuse !== true) {
    const times = priorUses === 1 ? 'once' : `${priorUses} times`;
    throw new ApiError(
      'forbidden',
      `This test set has already been evaluated ${times}. Looking again and acting on what you see makes it a second validation set, ` +
        `and the result will be marked "${reuseMark(priorUses + 1)}". Confirm the reuse (confirmReuse: true) to go ahead.`,
      'confirmReuse',
    );
  }
}

/** The mark shown with every result of the n-th use of a test set; null for the first. */
export function reuseMark(useNumber: number): string | null {
  return useNumber > 1 ? `test set reused (${useNumber})` : null;
}
