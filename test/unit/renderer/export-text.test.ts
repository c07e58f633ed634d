import { describe, expect, it } from 'vitest';
import { exportBlocked, formatDiff, parityText, phaseText } from '../../../renderer/src/views/export/export-text.js';

const done = { status: 'completed', bestEpoch: 3, modelKind: 'small-cnn', kind: 'single' };

describe('export dialog words', () => {
  it('says why a run cannot be exported', () => {
    expect(exportBlocked(done)).toBeNull();
    expect(exportBlocked({ ...done, status: 'running' })).toMatch(/still training/);
    expect(exportBlocked({ ...done, bestEpoch: null })).toMatch(/no saved model/);
    expect(exportBlocked({ ...done, kind: 'ensemble', bestEpoch: null })).toBeNull();
    expect(exportBlocked({ ...done, modelKind: 'small-vit' })).toBeNull();
  });
  it('reports the parity check, a failure as a failure', () => {
    expect(parityText({ images: 32, maxAbsDiff: 0, passed: true, tolerance: 1e-4, error: null })).toMatch(/^Checked: on 32 validation images.*largest difference 0/);
    const failed = parityText({ images: 4, maxAbsDiff: 0.3, passed: false, tolerance: 1e-4, error: 'largest difference 0.3' });
    expect(failed).toMatch(/FAILED.*do not use this export\. largest difference 0\.3/);
    expect(formatDiff(3.2e-7)).toBe('3.2e-7');
    expect(formatDiff(null)).toBe('—');
    expect(phaseText('example')).toMatch(/fresh process/);
  });
});
