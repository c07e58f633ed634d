// Predict through the API (the worker, its progress events, the CSV export), and adding
// predicted images to the project as suggestions that never become labels until a person
// confirms them. Real small model. The command line: predict-cli.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { refusal } from '../../unit/service/train-fixture.js';
import { predictFixture, writeNewImages, type PredictFixture } from './predict-fixture.js';

const tempDir = tempDirFactory('holdout-predict-api-');

describe('predict through the API and the command line', () => {
  let fx: PredictFixture;
  let folder: string;
  let files: string[];
  beforeAll(async () => {
    fx = await predictFixture(tempDir());
    folder = path.join(tempDir(), 'new');
    files = await writeNewImages(folder);
  }, 60_000);

  it('predict.run predicts a folder in a worker, with progress events, and exports the table as CSV', async () => {
    const r = await fx.call('predict.run', { runId: fx.runId, paths: [folder] });
    expect(r.model).toMatchObject({ runId: fx.runId, kind: 'single', members: 1, classes: ['circle', 'square', 'triangle'] });
    expect(r.summary).toEqual({ images: 4, failed: 1 });
    expect(r.results.map((x: any) => path.relative(folder, x.path))).toEqual(['broken.png', 'one.png', 'sub/two.png', 'three.png']);
    expect(r.results[0]).toMatchObject({ ok: false, error: expect.stringMatching(/^not an image/) });
    expect(r.results[1].thumbnail).toMatch(/^data:image\/webp;base64,/);
    const phases = fx.events.filter((e) => e.event === 'predict.progress').map((e) => e.payload.phase);
    expect(phases).toContain('reading');
    expect(phases).toContain('predicting');
    expect(phases.at(-1)).toBe('done');

    const csv = await fx.call('predict.exportCsv', { model: r.model, results: r.results.map(({ thumbnail, ...rest }: any) => rest) });
    expect(csv.rows).toBe(4);
    expect(path.dirname(csv.path)).toBe(path.join(fx.projectDir, 'exports'));
    const text = fs.readFileSync(csv.path, 'utf8').trim().split('\n');
    expect(text[0]).toBe('path,predicted,confidence,error,run_id,model,p_circle,p_square,p_triangle');
    expect(text).toHaveLength(5);
    expect(text[2]).toContain(`${files[0]},${r.results[1].predicted},${r.results[1].confidence}`);
  });

  it('bad requests are refused naming the field', async () => {
    expect(await refusal(fx.call('predict.run', { runId: 99, paths: [folder] }))).toMatchObject({ code: 'not_found', field: 'runId' });
    expect((await refusal(fx.call('predict.run', { runId: fx.runId, paths: [] }))).message).toMatch(/at least one/);
    expect(await refusal(fx.call('predict.run', { runId: fx.runId, paths: ['rel/x.png'] }))).toMatchObject({ field: 'paths' });
    expect(await refusal(fx.call('predict.addToProject', { suggestions: [{ path: files[0], className: '' }] }))).toMatchObject({ code: 'invalid_request' });
    expect(await refusal(fx.call('predict.addToProject', { paths: [] }))).toMatchObject({ field: 'paths' });
    expect(await refusal(fx.call('predict.dismissSuggestions', { imageIds: [] }))).toMatchObject({ code: 'invalid_request' });
  });

  it('added images come in unlabeled with a suggestion; only confirming (undoable) labels them', async () => {
    const classes = (await fx.call('classes.list')).classes as { id: number; name: string }[];
    const unlabeledBefore = (await fx.call('classes.list')).unlabeled;
    const added = await fx.call('predict.addToProject', {
      runId: fx.runId,
      paths: [files[2]],
      suggestions: [
        { path: files[0], className: 'circle', confidence: 0.9 },
        { path: files[1], className: 'square', confidence: 0.6 },
        { path: path.join(folder, 'broken.png'), className: 'circle' },
        { path: files[2], className: 'hexagon' },
      ],
    });
    expect(added).toMatchObject({ imported: 3, suggested: 2 });
    expect(added.errors.map((e: any) => [path.basename(e.path), e.reason])).toEqual([
      ['broken.png', expect.stringMatching(/^not an image/)],
      ['three.png', expect.stringMatching(/class "hexagon" is not in this project/)],
    ]);
    // Suggestions are not labels: the three images are unlabeled.
    expect((await fx.call('classes.list')).unlabeled).toBe(unlabeledBefore + 3);
    const list = await fx.call('predict.suggestions', {});
    expect(list.total).toBe(2);
    expect(list.items.map((s: any) => [s.relPath, s.suggestedClass, s.confidence, s.byRunId])).toEqual([
      ['one.png', 'circle', 0.9, fx.runId],
      ['sub/two.png', 'square', 0.6, fx.runId],
    ]);

    // Confirming is the ordinary label action: the image is labeled, and leaves the list.
    const circle = classes.find((c) => c.name === 'circle')!.id;
    await fx.call('labels.assign', { imageIds: [list.items[0].imageId], classId: circle });
    expect((await fx.call('images.get', { id: list.items[0].imageId })).classId).toBe(circle);
    expect((await fx.call('predict.suggestions', {})).total).toBe(1);
    // Undo brings the suggestion back for review.
    await fx.call('labels.undo');
    expect((await fx.call('predict.suggestions', {})).total).toBe(2);
    // Dismissing clears the suggestion and leaves the label alone.
    expect(await fx.call('predict.dismissSuggestions', { imageIds: [list.items[1].imageId] })).toEqual({ dismissed: 1 });
    expect((await fx.call('predict.suggestions', {})).items.map((s: any) => s.relPath)).toEqual(['one.png']);
    expect((await fx.call('images.get', { id: list.items[1].imageId })).classId).toBeNull();

    // A labeled image gets no suggestion.
    const again = await fx.call('predict.addToProject', { suggestions: [{ path: files[0], className: 'square' }] });
    expect(again.suggested).toBe(1); // still unlabeled: the suggestion is replaced
    await fx.call('labels.assign', { imageIds: [list.items[0].imageId], classId: circle });
    const labeled = await fx.call('predict.addToProject', { suggestions: [{ path: files[0], className: 'square' }] });
    expect(labeled).toMatchObject({ imported: 0, suggested: 0, errors: [{ path: files[0], reason: 'already labeled "circle" in the project: no suggestion recorded' }] });
    expect((await fx.call('images.get', { id: list.items[0].imageId })).classId).toBe(circle);
  });
});
