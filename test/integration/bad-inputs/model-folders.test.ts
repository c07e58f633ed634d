// The model-folder part of the bad-inputs corpus: each damaged copy of a real layers
// model folder goes through importModelFolder (what "import a backbone" runs). Each must
// be refused naming the file, and leave no backbone folder behind.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../electron/api/errors.js';
import { useBackend } from '../../../electron/engine/train/backend/use-backend.js';
import { importModelFolder } from '../../../electron/engine/train/backbones/import-model-folder.js';
import { MODEL_FOLDER_KINDS } from '../../corpus/bad-model-folders.js';
import { check, newTally, summaryLine } from '../../corpus/corpus-kind.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { fixtureCnn, saveLayersFolder } from '../backbones/helpers/fixture-model.js';

const tempDir = tempDirFactory('holdout-bad-models-');
const tally = newTally('model folders');
let pristine: string;

beforeAll(async () => {
  await useBackend('wasm');
  pristine = path.join(tempDir(), 'cnn');
  const model = fixtureCnn();
  await saveLayersFolder(model, pristine, 2);
  model.dispose();
});

describe('broken model folders', () => {
  it.each(MODEL_FOLDER_KINDS.map((k) => [k.kind, k] as const))('%s', async (kind, k) => {
    await check(tally, kind, async () => {
      const dir = path.join(tempDir(), 'model');
      fs.cpSync(pristine, dir, { recursive: true });
      k.damage(dir);
      const parent = tempDir();
      const dest = path.join(parent, 'backbone');
      const err = await importModelFolder(dir, dest).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).message).toMatch(k.expected);
      expect(fs.readdirSync(parent)).toEqual([]);
    });
  });

  it('the undamaged folder imports (the damage, not the fixture, is what fails)', async () => {
    await check(tally, 'model: undamaged control', async () => {
      const entry = await importModelFolder(pristine, path.join(tempDir(), 'ok'));
      expect(entry.descriptor.featureDim).toBe(16);
    });
  });

  it('summary', () => {
    console.log(summaryLine(tally));
    expect(tally.passed).toEqual(tally.tried);
    expect(tally.tried.length).toBe(MODEL_FOLDER_KINDS.length + 1);
  });
});
