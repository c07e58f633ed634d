// Fuzzes every method of the contract through the real dispatch (the one gate the IPC
// handlers and the web bridge both call) against a real service with a real project
// open: hostile values in every field, hostile whole requests, and random payloads from
// fast-check. Bad input must come back as a validation error naming the field, or a
// clean domain error — never 'internal', never a throw — and afterwards Object.prototype
// is unpolluted and the project's database is exactly what it was.
import { createHash } from 'node:crypto';
import path from 'node:path';
import fc from 'fast-check';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames, methods, type MethodName } from '../../../electron/api/contract.js';
import { dispatch, type DispatchResult } from '../../../electron/api/dispatch.js';
import { createService, type HoldoutService } from '../../../electron/engine/service/create-service.js';
import { makeSyntheticProject } from '../../helpers/synthetic-project.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { hostileRequests, hostileValues, prototypeFingerprint } from './hostile-values.js';

/**
 * Methods whose valid requests change nothing (or only touch a transient job that is
 * not running): any payload that happens to pass validation is still sent to them.
 */
const READS = new Set<MethodName>([
  'app.info', 'project.current', 'project.recent', 'fs.list', 'dialog.pickFolder', 'import.errors', 'import.active',
  'import.cancel', 'classes.list', 'images.page', 'images.get', 'curation.sample', 'curation.extremes',
  'curation.histogram', 'curation.exactDuplicates', 'curation.nearDuplicates', 'curation.conflicts', 'curation.badFiles',
  'images.idsInRange', 'images.hiddenTest', 'labels.nextUnlabeled', 'labels.history', 'quiz.get', 'quiz.result',
  'quiz.list', 'split.preview', 'split.list', 'split.current', 'split.leakage', 'lockbox.status', 'lockbox.ledger',
  'train.defaults', 'train.active', 'train.stop', 'runs.list', 'runs.get', 'runs.coach', 'augment.preview',
  'backbones.list', 'backbones.inspect', 'backbones.catalog', 'evaluate.list', 'evaluate.get', 'evaluate.images',
  'predict.suggestions',
]);
/**
 * Methods that act (open or close projects, write labels, files, runs, start workers or
 * downloads): a payload that passes validation by chance is not sent — it would do its
 * job, which is not what this test is about. Invalid payloads are all sent.
 */
const ACTS = new Set<MethodName>([
  'project.create', 'project.open', 'project.close', 'import.start', 'curation.keepOne', 'labels.assign',
  'labels.exclude', 'labels.include', 'labels.undo', 'labels.redo', 'labels.exportCsv', 'classes.create',
  'classes.rename', 'classes.merge', 'classes.delete', 'quiz.start', 'quiz.answer', 'split.save', 'split.assignNew',
  'lockbox.open', 'lockbox.record', 'train.start', 'train.resume', 'backbones.import', 'backbones.download',
  'evaluate.run', 'runs.update', 'runs.delete', 'export.run', 'predict.run', 'predict.addToProject',
  'predict.exportCsv', 'predict.dismissSuggestions',
]);

const RANDOM_PER_METHOD = 30;
const tempDir = tempDirFactory('holdout-fuzz-');
let service: HoldoutService;
let projectDir: string;
let before: string;
let prototypesBefore: string;
const tally = { sent: 0, invalid: 0, validReads: 0, skippedValidActs: 0 };

/** Every table's rows hashed, the row counts, and SQLite's own integrity check. */
function projectFingerprint(): { integrity: string; counts: Record<string, number>; digest: string } {
  const db = service.project()!.db;
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[])
    .map((t) => t.name);
  const counts: Record<string, number> = {};
  const hash = createHash('sha256');
  for (const t of tables) {
    const rows = db.prepare(`SELECT * FROM "${t}"`).raw().all();
    counts[t] = rows.length;
    hash.update(t).update(JSON.stringify(rows, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)));
  }
  const integrity = (db.prepare('PRAGMA integrity_check').pluck().get() as string) ?? '';
  return { integrity, counts, digest: hash.digest('hex') };
}

function fieldsOf(name: MethodName): string[] {
  const schema = methods[name].request as z.ZodType;
  return schema instanceof z.ZodObject ? Object.keys(schema.shape as Record<string, unknown>) : [];
}

function describePayload(p: unknown): string {
  try {
    const text = JSON.stringify(p, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    return String(text).slice(0, 80);
  } catch {
    return Object.prototype.toString.call(p);
  }
}

/** An assertion whose message is only built when it fails (payloads can be huge or deep). */
function check(condition: boolean, message: () => string): void {
  if (!condition) expect.fail(message());
}

/** Sends one payload and checks the answer; returns it for more specific checks. */
async function send(name: MethodName, payload: unknown): Promise<DispatchResult | null> {
  const valid = methods[name].request.safeParse(payload ?? {}).success;
  if (valid && !READS.has(name)) {
    tally.skippedValidActs++;
    return null;
  }
  tally.sent++;
  const result = await dispatch(service.handlers, name, payload);
  const what = () => `${name} ← ${describePayload(payload)}: ${JSON.stringify(result).slice(0, 300)}`;
  if (!valid) {
    tally.invalid++;
    check(!result.ok, what);
    if (!result.ok) {
      check(result.error.code === 'invalid_request', what);
      check(result.error.message.includes(name), what);
      // A request that is an object gets its bad field named (an unknown key '' is named as '').
      if (payload !== null && typeof payload === 'object' && !Array.isArray(payload)) {
        check(typeof result.error.field === 'string', what);
      }
    }
  } else {
    tally.validReads++;
    check(result.ok || result.error.code !== 'internal', what);
  }
  return result;
}

beforeAll(async () => {
  prototypesBefore = prototypeFingerprint();
  projectDir = path.join(tempDir('project'), 'p');
  await makeSyntheticProject(projectDir, 40, { classes: 3, thumbPool: 4 });
  service = createService({ settingsDir: tempDir('settings'), shell: 'web', emit: () => {} });
  const opened = await dispatch(service.handlers, 'project.open', { dir: projectDir });
  expect(opened.ok).toBe(true);
  // A saved split, so the split, lockbox and training methods have something to read.
  const split = await dispatch(service.handlers, 'split.save', { seed: 7 });
  expect(split.ok, JSON.stringify(split).slice(0, 300)).toBe(true);
  before = JSON.stringify(projectFingerprint());
});

afterAll(async () => {
  await service?.dispose();
});

describe('every contract method under hostile and random payloads', () => {
  it('classifies every method as reading or acting (a new method must be classified here)', () => {
    const unclassified = methodNames.filter((m) => !READS.has(m) && !ACTS.has(m));
    const both = methodNames.filter((m) => READS.has(m) && ACTS.has(m));
    expect(unclassified).toEqual([]);
    expect(both).toEqual([]);
  });

  it('answers hostile whole requests with a validation error', async () => {
    for (const name of methodNames) {
      for (const { value } of hostileRequests) await send(name, value);
    }
  });

  it('answers a hostile value in each field with a validation error naming it, or a clean domain error', async () => {
    for (const name of methodNames) {
      for (const field of fieldsOf(name)) {
        for (const { value } of hostileValues) {
          const result = await send(name, { [field]: value });
          if (result && !result.ok && result.error.code === 'invalid_request' && result.error.field !== undefined) {
            // Either the hostile field itself or a required neighbour that is missing.
            expect(result.error.field.split('.')[0], `${name}.${field}`).toMatch(
              new RegExp(`^(${fieldsOf(name).map((f) => f.replace(/[.$]/g, '\\$&')).join('|')})$`),
            );
          }
        }
      }
    }
  });

  it(`answers ${RANDOM_PER_METHOD} random payloads per method without a crash or an internal error`, async () => {
    const leaf = fc.oneof(fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, maxDepth: 3 }),
      fc.constantFrom(...hostileValues.map((h) => h.value)));
    for (const [i, name] of methodNames.entries()) {
      const keys = [...fieldsOf(name), '__proto__', 'constructor', 'prototype'];
      const payload = fc.oneof(
        { arbitrary: fc.dictionary(fc.constantFrom(...keys), leaf, { maxKeys: 4 }), weight: 3 },
        { arbitrary: fc.anything({ withNullPrototype: true, maxDepth: 3 }), weight: 1 },
      );
      for (const p of fc.sample(payload, { seed: 9000 + i, numRuns: RANDOM_PER_METHOD })) await send(name, p);
    }
  });

  it('leaves Object.prototype unpolluted and the project exactly as it was', () => {
    expect(prototypeFingerprint()).toBe(prototypesBefore);
    const after = projectFingerprint();
    expect(after.integrity).toBe('ok');
    expect(JSON.stringify(after)).toBe(before);
    expect(service.project()?.dir).toBe(path.resolve(projectDir));
    // Reported in the log: how much was tried.
    console.log(`api fuzz: ${JSON.stringify({ methods: methodNames.length, ...tally })}`);
    expect(tally.invalid).toBeGreaterThan(methodNames.length * RANDOM_PER_METHOD);
  });
});
