// The curation, labeling and quiz methods through the contract, as the UI calls them:
// requests validated, responses matching their schemas, errors naming the field, and a
// "project.changed" event after every change so the views reload.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods, type MethodName, type Request, type Response } from '../../../electron/api/contract.js';
import { invoke } from '../../../electron/api/dispatch.js';
import { ApiError } from '../../../electron/api/errors.js';
import { createService, type HoldoutService } from '../../../electron/engine/service/create-service.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { addImage, addImages } from '../../unit/curation/project-fixture.js';

const tempDir = tempDirFactory('holdout-curation-service-');
let service: HoldoutService;
const events: string[] = [];

/** Calls a method as a transport would, and checks the answer against the contract's response schema. */
async function call<M extends MethodName>(method: M, request: Request<M>): Promise<Response<M>> {
  const value = await invoke<M>(service.handlers, method, request);
  const checked = methods[method].response.safeParse(value);
  if (!checked.success) throw new Error(`${method} answered outside its schema: ${checked.error.message}`);
  return value;
}

async function failure(method: MethodName, request: unknown): Promise<ApiError> {
  try {
    await invoke(service.handlers, method, request);
  } catch (err) {
    return err as ApiError;
  }
  throw new Error(`${method} did not fail`);
}

beforeAll(async () => {
  service = createService({
    settingsDir: tempDir('settings'),
    shell: 'web',
    emit: (event, payload) => events.push(`${event}:${(payload as { reason?: string }).reason ?? ''}`),
  });
  await call('project.create', { dir: path.join(tempDir(), 'p') });
});
afterAll(() => service.dispose());

describe('curation methods through the contract', () => {
  it('labels, creates classes and undoes, announcing each change', async () => {
    const p = service.project()!;
    const ids = addImages(p, 12);
    events.length = 0;
    const cat = (await call('classes.create', { name: 'cat' })).class!;
    const dog = (await call('classes.create', { name: 'dog' })).class!;
    const assigned = await call('labels.assign', { imageIds: ids.slice(0, 8), classId: cat.id });
    expect(assigned).toMatchObject({ changed: 8, unchanged: 0, history: { canUndo: true, canRedo: false } });
    await call('labels.assign', { imageIds: ids.slice(8), classId: dog.id });
    expect(events).toEqual(['project.changed:labels', 'project.changed:labels', 'project.changed:labels', 'project.changed:labels']);

    const undone = await call('labels.undo', {});
    expect(undone.entry).toMatchObject({ kind: 'assign', undone: true, imageCount: 4 });
    expect(undone.history).toMatchObject({ canRedo: true, redoSummary: 'labeled 4 images "dog"' });
    await call('labels.redo', {});
    const history = await call('labels.history', { limit: 10 });
    expect(history.entries.map((e) => e.kind)).toEqual(['assign', 'assign', 'class-create', 'class-create']);

    const renamed = await call('classes.rename', { id: dog.id, name: 'puppy' });
    expect(renamed.class).toEqual({ id: dog.id, name: 'puppy', count: 4 });
    const clash = await failure('classes.rename', { id: dog.id, name: 'CAT' });
    expect(clash).toMatchObject({ code: 'conflict', field: 'name' });
    const empty = await failure('classes.create', { name: '  ' });
    expect(empty).toMatchObject({ code: 'invalid_request', field: 'name' });
    const noTarget = await failure('classes.delete', { id: dog.id });
    expect(noTarget).toMatchObject({ code: 'invalid_request', field: 'moveImagesTo' });
    const deleted = await call('classes.delete', { id: dog.id, moveImagesTo: null });
    expect(deleted).toMatchObject({ class: null, movedImages: 4 });
    const next = await call('labels.nextUnlabeled', {});
    expect(next).toMatchObject({ image: { id: ids[8] }, remaining: 4 });
    expect(await failure('labels.assign', { imageIds: [], classId: null })).toMatchObject({ field: 'imageIds' });
  });

  it('answers every view in its schema', async () => {
    const p = service.project()!;
    addImage(p, { sha256: 'a'.repeat(64), phash: '00000000000000ff' });
    addImage(p, { sha256: 'a'.repeat(64), phash: '00000000000000ff' });
    addImage(p, { phash: '00000000000000fe' });
    const sample = await call('curation.sample', { seed: 3, limit: 5 });
    expect(sample).toMatchObject({ seed: 3, total: 15 });
    expect(sample.items).toHaveLength(5);
    expect((await call('curation.extremes', { measure: 'aspect', end: 'largest' })).items.length).toBeGreaterThan(0);
    expect((await call('curation.histogram', {})).classes.map((c) => c.name)).toEqual(['cat']);
    expect(await call('curation.exactDuplicates', {})).toMatchObject({ totalClusters: 1, totalImages: 2 });
    const near = await call('curation.nearDuplicates', { threshold: 2 });
    expect(near).toMatchObject({ threshold: 2, totalClusters: 1, totalImages: 3 });
    expect(await call('curation.conflicts', {})).toMatchObject({ totalClusters: 0 });
    expect(await call('curation.badFiles', {})).toEqual({ total: 0, offset: 0, items: [] });
    const [keep, ...others] = near.clusters[0]!.images.map((t) => t.id);
    expect(await call('curation.keepOne', { keepId: keep!, otherIds: others, kind: 'near' })).toMatchObject({ changed: 2 });
    expect(await failure('curation.nearDuplicates', { threshold: 17 })).toMatchObject({ code: 'invalid_request', field: 'threshold' });
  });

  it('runs a quiz and exports the labels', async () => {
    const quiz = await call('quiz.start', { size: 5, seed: 9 });
    expect(quiz.items).toHaveLength(5);
    for (const item of quiz.items) await call('quiz.answer', { sessionId: quiz.id, position: item.position, answer: 'not_sure' });
    const result = await call('quiz.result', { sessionId: quiz.id });
    expect(result).toMatchObject({ total: 5, answered: 5, correct: 0, notSure: 5, accuracy: 0, finished: true });
    expect((await call('quiz.list', {})).sessions[0]).toMatchObject({ id: quiz.id, total: 5, correct: 0 });
    expect((await call('quiz.get', { sessionId: quiz.id })).items.every((i) => i.answer === 'not_sure')).toBe(true);

    const exported = await call('labels.exportCsv', {});
    expect(exported.path.startsWith(path.join(service.project()!.dir, 'exports'))).toBe(true);
    expect(fs.readFileSync(exported.path, 'utf8').split('\n')[0]).toBe('path,label,group,split');
  });

  it('says that a project must be open', async () => {
    await call('project.close', {});
    expect(await failure('curation.histogram', {})).toMatchObject({ code: 'no_project' });
  });
});
