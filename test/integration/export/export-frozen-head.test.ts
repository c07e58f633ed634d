// Export of the default model for photos: a head on the bundled GRAPH backbone's frozen
// features. The backbone's own files are exported beside the head, and the example chains
// them (backbone to its feature node, averaged over space, then the head); the parity
// check in a fresh process passes. Few images, so it stays fast.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportRun } from '../../../electron/engine/export/export-run.js';
import { openDatabase } from '../../../electron/engine/store/database.js';
import { defaultBackboneId } from '../../../electron/engine/train/backbones/bundled.js';
import { createRun } from '../../../electron/engine/train/run/create-run.js';
import { runTraining } from '../../../electron/engine/train/run/run-training.js';
import { runCli } from '../../helpers/run-cli.js';
import { writeShapesDataset } from '../../helpers/shapes-dataset.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-export-frozen-');

describe('export of a frozen-backbone head on the bundled graph backbone', () => {
  let project: string;
  let runId: number;
  beforeAll(async () => {
    const images = await writeShapesDataset(path.join(tempDir(), 'photos'), { perClass: 6, size: 48, colourByClass: true, shapes: ['circle', 'square'] });
    project = path.join(tempDir(), 'project');
    expect((await runCli(['import', images, '--project', project])).code).toBe(0);
    expect((await runCli(['split', '--project', project, '--seed', '2'])).code).toBe(0);
    const db = openDatabase(path.join(project, 'holdout.db'));
    runId = createRun(db, { modelKind: 'frozen-head', epochs: 2, batchSize: 4, seed: 1, augmentViews: 0, earlyStopping: { enabled: false } }).id;
    db.close();
    const summary = await runTraining({ projectDir: project, runId, emit: () => undefined, shouldStop: () => false });
    expect(summary.status).toBe('completed');
  });

  it('exports the backbone graph and the head as two stages, and the parity check passes', async () => {
    const db = openDatabase(path.join(project, 'holdout.db'));
    try {
      const out = path.join(tempDir(), 'export');
      const r = await exportRun(db, project, runId, out);
      expect(r.parity.error).toBeNull();
      expect(r.parity.passed).toBe(true);
      expect(r.parity.images).toBeGreaterThan(0);
      expect(r.parity.maxAbsDiff).toBeLessThan(1e-4);
      const backbone = `backbones/${defaultBackboneId}`;
      expect(r.files).toEqual(expect.arrayContaining([`${backbone}/model.json`, `${backbone}/backbone.json`, 'model/model.json', 'model/weights.bin']));
      // Every weight file the backbone's model.json lists was copied.
      const manifest = JSON.parse(fs.readFileSync(path.join(out, backbone, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
      for (const p of manifest.weightsManifest.flatMap((g) => g.paths)) expect(r.files).toContain(`${backbone}/${p}`);
      const pre = JSON.parse(fs.readFileSync(path.join(out, 'preprocessing.json'), 'utf8'));
      expect(pre.members[0].stages).toEqual([
        { type: 'graph', path: `${backbone}/model.json`, outputNode: expect.any(String), pool: 'mean over height and width' },
        { type: 'layers', path: 'model/model.json' },
      ]);
      expect(pre.members[0].input).toMatchObject({ size: 224, channels: 3 });
      expect(JSON.parse(fs.readFileSync(path.join(out, 'model-card.json'), 'utf8')).status).toBe('ok');
    } finally {
      db.close();
    }
  });
});
