// "Evaluate on test…": the warning first; a second confirmation only when the test set
// was opened before; the request's flags; and never a request without the boxes ticked.
import { describe, expect, it } from 'vitest';
import {
  back,
  blockedReason,
  canProceed,
  nextReuseMark,
  openDialog,
  proceed,
  proceedLabel,
  timesWords,
} from '../../../renderer/src/views/evaluate/lockbox-steps.js';

describe('first use of the test set', () => {
  const first = openDialog({ uses: 0, testImages: 12 });

  it('opens on the warning with nothing ticked, and cannot proceed', () => {
    expect(first).toMatchObject({ step: 'warn', understood: false, reuseUnderstood: false });
    expect(canProceed(first)).toBe(false);
    expect(proceed(first)).toEqual({ state: first });
  });

  it('asks for the test evaluation once the box is ticked, without confirmReuse', () => {
    const ticked = { ...first, understood: true };
    expect(canProceed(ticked)).toBe(true);
    expect(proceedLabel(ticked)).toBe('Evaluate on test');
    expect(proceed(ticked)).toEqual({ request: { confirm: true, confirmReuse: false } });
    expect(nextReuseMark(ticked.facts)).toBeNull();
  });
});

describe('a test set opened before', () => {
  const opened = openDialog({ uses: 2, testImages: 12 });

  it('goes from the warning to a second, stronger step', () => {
    const ticked = { ...opened, understood: true };
    expect(proceedLabel(ticked)).toBe('Continue…');
    const next = proceed(ticked);
    expect('state' in next && next.state.step).toBe('reuse');
  });

  it('needs the second box too, then confirms the reuse', () => {
    const second = { ...opened, step: 'reuse' as const, understood: true };
    expect(canProceed(second)).toBe(false);
    expect(proceed(second)).toEqual({ state: second });
    const both = { ...second, reuseUnderstood: true };
    expect(proceedLabel(both)).toBe('Evaluate on test again');
    expect(proceed(both)).toEqual({ request: { confirm: true, confirmReuse: true } });
  });

  it('names the mark the result will carry', () => {
    expect(nextReuseMark({ uses: 1, testImages: 5 })).toBe('test set reused (2)');
    expect(nextReuseMark({ uses: 2, testImages: 5 })).toBe('test set reused (3)');
  });

  it('goes back to the warning and forgets the second box', () => {
    const both = { ...opened, step: 'reuse' as const, understood: true, reuseUnderstood: true };
    expect(back(both)).toMatchObject({ step: 'warn', understood: true, reuseUnderstood: false });
    const warn = { ...opened, understood: true };
    expect(back(warn)).toBe(warn);
  });
});

describe('a split without test images', () => {
  it('cannot be evaluated on test, whatever is ticked', () => {
    const facts = { uses: 0, testImages: 0 };
    expect(blockedReason(facts)).toMatch(/no test images/);
    expect(canProceed({ ...openDialog(facts), understood: true })).toBe(false);
    expect(blockedReason({ uses: 0, testImages: 3 })).toBeNull();
  });
});

describe('timesWords', () => {
  it('says never, once, twice, n times', () => {
    expect([0, 1, 2, 5].map(timesWords)).toEqual(['never', 'once', 'twice', '5 times']);
  });
});
