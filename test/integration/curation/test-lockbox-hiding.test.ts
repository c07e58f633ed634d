// Once a split exists, the curation views and the quiz never show its test images
// (unless asked to, explicitly): the lockbox is enforced below the API.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extremes } from '../../../electron/engine/curation/extremes.js';
import { labelsCsv } from '../../../electron/engine/labeling/export-labels.js';
import { startQuiz } from '../../../electron/engine/curation/quiz.js';
import { randomSample } from '../../../electron/engine/curation/sample.js';
import type { Project } from '../../../electron/engine/project/project.js';
import { saveSplit } from '../../../electron/engine/service/split-actions.js';
import { testIdsToHide } from '../../../electron/engine/store/splits-repo.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { labeled, seededProject } from '../splits/seed-project.js';

const tempDir = tempDirFactory('holdout-lockbox-views-');
let project: Project;
let testIds: Set<number>;

beforeAll(() => {
  project = seededProject(path.join(tempDir(), 'p'), labeled(200, ['ant', 'bee', 'wasp']));
  saveSplit(project.db, { ratios: { train: 70, validation: 15, test: 15 }, seed: 7, grouping: [] });
  testIds = testIdsToHide(project.db);
});
afterAll(() => project.close());

describe('curation views after a split', () => {
  it('the split has test images to hide', () => {
    expect(testIds.size).toBeGreaterThanOrEqual(25);
  });

  it('a random sample of everything never contains a test image, unless asked', () => {
    const all = randomSample(project.db, { seed: 3, filter: {}, offset: 0, limit: 1000 });
    expect(all.total).toBe(200 - testIds.size);
    expect(all.items.some((t) => testIds.has(t.id))).toBe(false);
    const withTest = randomSample(project.db, { seed: 3, filter: { includeTest: true }, offset: 0, limit: 1000 });
    expect(withTest.total).toBe(200);
  });

  it('extremes leave test images out', () => {
    const largest = extremes(project.db, 'bytes', 'largest', 1000);
    expect(largest.length).toBe(200 - testIds.size);
    expect(largest.some((t) => testIds.has(t.id))).toBe(false);
    expect(extremes(project.db, 'bytes', 'largest', 1000, { includeTest: true }).length).toBe(200);
  });

  it('the quiz never draws a test image', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const quiz = startQuiz(project.db, 100, seed);
      expect(quiz.items.length).toBe(100);
      expect(quiz.items.some((i) => testIds.has(i.imageId))).toBe(false);
    }
  });

  it('the label CSV names each image\'s split in the current version', () => {
    const lines = labelsCsv(project.db).csv.trim().split('\n');
    expect(lines[0]).toBe('path,label,group,split');
    const splits = lines.slice(1).map((l) => l.split(',')[3]);
    expect(splits).toHaveLength(200);
    expect(splits.filter((s) => s === 'test')).toHaveLength(testIds.size);
    expect(new Set(splits)).toEqual(new Set(['train', 'validation', 'test']));
  });
});
