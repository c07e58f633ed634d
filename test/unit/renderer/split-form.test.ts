import { describe, expect, it } from 'vitest';
import {
  checkForm,
  DEFAULT_FORM,
  describeGrouping,
  formatShare,
  formFromVersion,
  groupKeyOf,
  patternProblem,
  randomSeed,
  rangeNote,
  ratioSum,
  MAX_SEED,
  type SplitForm,
} from '../../../renderer/src/lib/split/split-form.js';

const form = (over: Partial<SplitForm> = {}): SplitForm => ({ ...DEFAULT_FORM, seed: '42', ...over });

describe('checkForm', () => {
  it('turns the default form into a 70/15/15 request grouped by sub-folder', () => {
    const c = checkForm(form());
    expect(c.errors).toEqual({});
    expect(c.request).toEqual({ ratios: { train: 70, validation: 15, test: 15 }, grouping: [{ kind: 'folder' }], seed: 42 });
  });

  it('takes numbers as number inputs give them, and text as typed', () => {
    const c = checkForm(form({ train: 80, validation: '10', test: 10 }));
    expect(c.request?.ratios).toEqual({ train: 80, validation: 10, test: 10 });
  });

  it('says when the shares do not add up to 100', () => {
    const c = checkForm(form({ train: '70', validation: '20', test: '15' }));
    expect(c.request).toBeNull();
    expect(c.errors.ratios).toContain('105%');
  });

  it('refuses empty, negative, fractional and too-large shares, and a training share of 0', () => {
    expect(checkForm(form({ train: null })).errors.train).toBeDefined();
    expect(checkForm(form({ train: '-5' })).errors.train).toBeDefined();
    expect(checkForm(form({ train: '69.5' })).errors.train).toBeDefined();
    expect(checkForm(form({ train: '101' })).errors.train).toBeDefined();
    expect(checkForm(form({ train: '0', validation: '50', test: '50' })).errors.train).toContain('training');
  });

  it('allows 0 validation or test (the engine warns about it)', () => {
    expect(checkForm(form({ train: '100', validation: '0', test: '0' })).request).not.toBeNull();
  });

  it('builds each grouping source', () => {
    expect(checkForm(form({ grouping: 'none' })).request?.grouping).toEqual([]);
    expect(checkForm(form({ grouping: 'csv' })).request?.grouping).toEqual([{ kind: 'csv' }]);
    expect(checkForm(form({ grouping: 'regex', pattern: '^(.+)_f' })).request?.grouping).toEqual([{ kind: 'regex', pattern: '^(.+)_f' }]);
    expect(checkForm(form({ grouping: 'near-duplicates', threshold: '4' })).request?.grouping).toEqual([
      { kind: 'near-duplicates', threshold: 4 },
    ]);
    expect(checkForm(form({ grouping: 'time', seconds: '1.5' })).request?.grouping).toEqual([{ kind: 'time', seconds: 1.5 }]);
  });

  it('adds near duplicates to the main grouping when asked', () => {
    expect(checkForm(form({ alsoNear: true, threshold: '5' })).request?.grouping).toEqual([
      { kind: 'folder' },
      { kind: 'near-duplicates', threshold: 5 },
    ]);
    // Chosen as the main grouping, near duplicates are not asked for twice.
    expect(checkForm(form({ grouping: 'near-duplicates', alsoNear: true })).request?.grouping).toEqual([
      { kind: 'near-duplicates', threshold: 6 },
    ]);
    expect(checkForm(form({ alsoNear: true, threshold: '99' })).errors.threshold).toBeDefined();
    expect(checkForm(form({ alsoNear: false, threshold: '99' })).request).not.toBeNull();
  });

  it('checks the fields of the chosen grouping only', () => {
    expect(checkForm(form({ grouping: 'regex', pattern: '(' })).errors.pattern).toContain('not a valid pattern');
    expect(checkForm(form({ grouping: 'regex', pattern: '' })).errors.pattern).toBeDefined();
    expect(checkForm(form({ grouping: 'near-duplicates', threshold: '17' })).errors.threshold).toBeDefined();
    expect(checkForm(form({ grouping: 'time', seconds: '90000' })).errors.seconds).toBeDefined();
    // A broken pattern does not matter while another grouping is chosen.
    expect(checkForm(form({ grouping: 'folder', pattern: '(' })).request).not.toBeNull();
  });

  it('leaves the seed out when empty and refuses one outside 0..2^32-1', () => {
    expect(checkForm(form({ seed: '' })).request).not.toHaveProperty('seed');
    expect(checkForm(form({ seed: String(MAX_SEED) })).request?.seed).toBe(MAX_SEED);
    expect(checkForm(form({ seed: String(MAX_SEED + 1) })).errors.seed).toBeDefined();
    expect(checkForm(form({ seed: 'abc' })).errors.seed).toBeDefined();
  });
});

describe('ratio words', () => {
  it('sums what is typed', () => {
    expect(ratioSum({ train: '70', validation: 15, test: null })).toBe(85);
  });
  it('places a share against its usual range', () => {
    expect(rangeNote('train', 70)).toEqual({ ok: true, text: 'within the usual 60–80%' });
    expect(rangeNote('train', 50).ok).toBe(false);
    expect(rangeNote('test', 25).text).toBe('above the usual 10–20%');
    expect(rangeNote('validation', 10).ok).toBe(true);
  });
  it('formats shares with at most one decimal', () => {
    expect(formatShare(70)).toBe('70%');
    expect(formatShare(14.583)).toBe('14.6%');
    expect(formatShare(Number.NaN)).toBe('—');
  });
});

describe('file-name patterns', () => {
  it('names the group as the engine does: first capture group, else the whole match', () => {
    expect(groupKeyOf('^(.+)_frame\\d+', 'clip07_frame0012.jpg')).toBe('clip07');
    expect(groupKeyOf('^[a-z]+', 'clip07_frame0012.jpg')).toBe('clip');
    expect(groupKeyOf('^zzz', 'clip07.jpg')).toBeNull();
    expect(groupKeyOf('(', 'clip07.jpg')).toBeNull();
  });
  it('explains what is wrong with a pattern', () => {
    expect(patternProblem('^(.+)_f')).toBeNull();
    expect(patternProblem('x'.repeat(201))).toContain('200');
  });
});

describe('versions', () => {
  it('describes a grouping in words', () => {
    expect(describeGrouping([])).toBe('no grouping');
    expect(describeGrouping([{ kind: 'folder' }, { kind: 'near-duplicates', threshold: 6 }])).toBe('sub-folder + near duplicates (distance 6)');
    expect(describeGrouping([{ kind: 'time', seconds: 2 }])).toBe('capture-time bursts (2 s)');
  });
  it('puts a saved version back in the form, which checks to the same request', () => {
    const v = { ratios: { train: 80, validation: 10, test: 10 }, grouping: [{ kind: 'regex' as const, pattern: '^(\\w+)-' }], seed: 7 };
    const f = formFromVersion(v);
    expect(checkForm(f).request).toEqual({ ratios: v.ratios, grouping: v.grouping, seed: 7 });
  });
  it('brings back a main grouping with near duplicates', () => {
    const v = { ratios: { train: 70, validation: 15, test: 15 }, grouping: [{ kind: 'near-duplicates' as const, threshold: 3 }, { kind: 'folder' as const }], seed: 1 };
    const f = formFromVersion(v);
    expect(f.grouping).toBe('folder');
    expect(f.alsoNear).toBe(true);
    expect(checkForm(f).request?.grouping).toEqual([{ kind: 'folder' }, { kind: 'near-duplicates', threshold: 3 }]);
    expect(formFromVersion({ ...v, grouping: [{ kind: 'near-duplicates', threshold: 2 }] }).grouping).toBe('near-duplicates');
  });
  it('draws seeds in range', () => {
    expect(randomSeed(() => 0)).toBe(0);
    expect(randomSeed(() => 0.999999999999)).toBe(MAX_SEED);
  });
});
