// A service with a real project for the training API tests: coloured shapes rendered by
// sharp, imported through `import.start` and split through `split.save`, exactly as the
// UI does it. Calls go through the same dispatch gate as every transport.
import path from 'node:path';
import { expect } from 'vitest';
import type { EventName } from '../../../electron/api/contract.js';
import { dispatch } from '../../../electron/api/dispatch.js';
import { createService, type HoldoutService } from '../../../electron/engine/service/create-service.js';
import type { TrainerLauncher } from '../../../electron/engine/train/train-host.js';
import { writeShapesDataset } from '../../helpers/shapes-dataset.js';

export interface Recorded {
  event: EventName;
  payload: any;
}

export interface TrainFixture {
  service: HoldoutService;
  events: Recorded[];
  projectDir: string;
  /** Calls a method; a refusal is thrown as an Error carrying code, message and field. */
  call(method: string, request?: unknown): Promise<any>;
  /** Resolves with the first event (from now on) that matches. */
  next(event: EventName, match?: (payload: any) => boolean, timeoutMs?: number): Promise<any>;
}

export async function trainFixture(
  root: string,
  opts: { perClass?: number; size?: number; seed?: number; trainerLauncher?: TrainerLauncher } = {},
): Promise<TrainFixture> {
  const events: Recorded[] = [];
  const waiters: { event: EventName; match: (p: any) => boolean; resolve: (p: any) => void }[] = [];
  const service = createService({
    settingsDir: path.join(root, 'settings'),
    shell: 'web',
    ...(opts.trainerLauncher ? { trainerLauncher: opts.trainerLauncher } : {}),
    emit: (event, payload) => {
      events.push({ event, payload });
      for (const w of [...waiters]) {
        if (w.event === event && w.match(payload)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(payload);
        }
      }
    },
  });
  const call = async (method: string, request: unknown = {}) => {
    const r = await dispatch(service.handlers, method, request);
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.value as any;
  };
  const next = (event: EventName, match: (p: any) => boolean = () => true, timeoutMs = 60_000) =>
    new Promise<any>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} event within ${timeoutMs} ms`)), timeoutMs);
      waiters.push({ event, match, resolve: (p) => (clearTimeout(timer), resolve(p)) });
    });

  const images = await writeShapesDataset(path.join(root, 'shapes'), {
    perClass: opts.perClass ?? 40,
    size: opts.size ?? 32,
    colourByClass: true,
    seed: opts.seed ?? 7,
  });
  const projectDir = path.join(root, 'project');
  await call('project.create', { dir: projectDir });
  const finished = next('import.finished');
  await call('import.start', { source: { kind: 'folder', folder: images } });
  expect((await finished).status).toBe('done');
  await call('split.save', { seed: 1 });
  return { service, events, projectDir, call, next };
}

/** The ApiError a service call was refused with (fails the test if it was not refused). */
export async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string; field?: string }> {
  try {
    await p;
  } catch (err) {
    return err as { code: string; message: string; field?: string };
  }
  throw new Error('expected a refusal');
}
