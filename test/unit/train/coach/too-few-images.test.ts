import { describe, expect, it } from 'vitest';
import { MIN_TRAIN_PER_CLASS, tooFewImages } from '../../../../electron/engine/train/coach/too-few-images.js';
import { facts, healthy } from './histories.js';

describe('coach: too few images per class', () => {
  it(`fires for classes with fewer than ${MIN_TRAIN_PER_CLASS} training images and names them`, () => {
    const f = tooFewImages(healthy, facts({ classCounts: [{ class: 'cat', train: 12 }, { class: 'dog', train: 19 }, { class: 'fox', train: 20 }] }));
    expect(f).toMatchObject({ id: 'too-few-images', severity: 'warning', title: 'Too few images in some classes' });
    expect(f!.detail).toMatch(/cat \(12\), dog \(19\)\./);
    expect(f!.detail).not.toMatch(/fox/);
    expect(f!.suggestions.map((s) => s.setting)).toEqual([null, 'modelKind']);
  });

  it('names the class in the title when there is one, and suggests augmentation when it was off', () => {
    const f = tooFewImages(healthy, facts({ modelKind: 'frozen-head', settings: { augmentation: 'none' }, classCounts: [{ class: 'cat', train: 5 }, { class: 'dog', train: 50 }] }));
    expect(f!.title).toBe('Too few images of cat');
    expect(f!.suggestions.map((s) => s.setting)).toEqual([null, 'augmentation']);
  });

  it('is silent when every class has at least 20', () => {
    expect(tooFewImages(healthy, facts())).toBeNull();
    expect(tooFewImages(healthy, facts({ classCounts: [{ class: 'a', train: 20 }, { class: 'b', train: 20 }] }))).toBeNull();
  });
});
