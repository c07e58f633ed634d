import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFinite } from '../../../../electron/engine/train/callbacks/nan-guard.js';

describe('checkFinite', () => {
  it('says where training diverged and what to try when the loss is NaN or infinite', () => {
    expect(checkFinite(Number.NaN, { epoch: 3, batch: 17 })).toBe(
      'training diverged at epoch 3 batch 17: the loss became NaN (not a number); try a lower learning rate',
    );
    expect(checkFinite(Infinity, { epoch: 1, batch: 2 })).toMatch(/^training diverged at epoch 1 batch 2: the loss became infinite; try a lower learning rate$/);
    expect(checkFinite(-Infinity, { epoch: 1, batch: 2 })).toMatch(/negative infinite/);
  });

  it('has nothing to say about any finite loss', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (loss) => checkFinite(loss, { epoch: 1, batch: 1 }) === null));
  });
});
