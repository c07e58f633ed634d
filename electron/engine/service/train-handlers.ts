// The contract's training, run-history, augmentation-preview and backbone methods over
// the engine. Training itself runs in a worker (train-host.ts; a utility process in the
// desktop app), one at a time per service; its progress goes out as `train.progress`.
// TensorFlow.js is loaded only by the methods that need it in this process (the
// preview, importing a model): importing it costs seconds, and most sessions never do.
import path from 'node:path';
import type { EventSink, Handlers } from '../../api/contract.js';
import { ApiError } from '../../api/errors.js';
import type { trainMethods } from '../../api/train-methods.js';
import type * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { fromZodError } from '../../api/errors.js';
import { newSeed } from '../curation/prng.js';
import type { Project } from '../project/project.js';
import { RunsRepo, type Run } from '../store/runs-repo.js';
import { defaultBackboneId } from '../train/backbones/bundled.js';
import { catalogEntry, onlineCatalog } from '../train/backbones/catalog.js';
import { coachInput } from '../train/coach/coach-input.js';
import { coachRun } from '../train/coach/coach-run.js';
import type { BackboneEntry } from '../train/backbones/descriptor.js';
import { noAugmentation, type AugmentParams } from '../train/augment/augment-params.js';
import { augmentationSchema } from '../train/config.js';
import { decodeImage } from '../train/data/decode-image.js';
import { createRun } from '../train/run/create-run.js';
import { suggestDefaults } from '../train/run/suggest-defaults.js';
import { startTraining, type TrainerLauncher, type TrainingHandle } from '../train/train-host.js';
import { runRowOf, runRows } from './run-row.js';

export type TrainHandlers = Pick<Handlers, keyof typeof trainMethods>;

export interface TrainService {
  handlers: TrainHandlers;
  /** The run this service is training now, or null. */
  activeRunId(): number | null;
  /**
   * Ends every training worker of this service at once and waits until its run is marked
   * interrupted (resumable). Call before the project's database closes.
   */
  shutdown(): Promise<void>;
}

/** A curve needs no more points than a screen has pixels. */
const MAX_BATCH_POINTS = 2000;

interface Training {
  runId: number;
  handle: TrainingHandle;
}

/** A name for a backbone folder: lower-case letters, digits, '.', '_' and '-', not taken yet. */
function freeBackboneId(wanted: string, taken: ReadonlySet<string>): string {
  const base =
    wanted
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '')
      .replace(/-+$/, '')
      .slice(0, 56) || 'model';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/** Side of the preview tiles: large enough to judge a rotation or a tint, small to send. */
const PREVIEW_SIZE = 128;

/** Strengths as a configuration gives them ('default', 'none', or some fields), defaults filled. */
function parsePreviewAugmentation(input: 'default' | 'none' | Record<string, unknown>): AugmentParams {
  if (input === 'default') return augmentationSchema.parse({});
  if (input === 'none') return { ...noAugmentation };
  const parsed = augmentationSchema.safeParse(input);
  if (!parsed.success) {
    const e = fromZodError(parsed.error, 'augmentation');
    throw new ApiError('invalid_request', e.message, e.field ? `augmentation.${e.field}` : 'augmentation');
  }
  return parsed.data;
}

let serviceBackend: Promise<void> | null = null;

/**
 * TensorFlow.js in the service's own process, for small jobs (a preview, checking an
 * imported model): the WebAssembly backend, else plain JavaScript. Loaded on first use.
 */
function ensureServiceBackend(): Promise<void> {
  serviceBackend ??= (async () => {
    const { useBackend } = await import('../train/backend/use-backend.js');
    try {
      await useBackend('wasm');
    } catch {
      await useBackend('cpu');
    }
  })();
  return serviceBackend;
}

/** The image as training sees it (squared, RGB), then augmented versions, as PNG data URLs. */
async function augmentPreviewPngs(image: { pathBytes: Buffer; path: string }, params: AugmentParams, count: number, seed: number): Promise<string[]> {
  const pixels = await decodeImage(image.pathBytes, image.path, { size: PREVIEW_SIZE, channels: 3, resize: 'fill' });
  await ensureServiceBackend();
  const tfjs = await import('@tensorflow/tfjs');
  const { augmentPreview } = await import('../train/augment/augment-preview.js');
  const grid = tfjs.tidy(() => {
    const x = tfjs.div(tfjs.tensor3d(Float32Array.from(pixels), [PREVIEW_SIZE, PREVIEW_SIZE, 3], 'float32'), 255) as tf.Tensor3D;
    return augmentPreview(x, params, count, seed);
  });
  const values = await grid.data();
  grid.dispose();
  const tile = PREVIEW_SIZE * PREVIEW_SIZE * 3;
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const bytes = Buffer.alloc(tile);
      for (let k = 0; k < tile; k++) bytes[k] = Math.round(Math.min(1, Math.max(0, values[i * tile + k]!)) * 255);
      const png = await sharp(bytes, { raw: { width: PREVIEW_SIZE, height: PREVIEW_SIZE, channels: 3 } }).png().toBuffer();
      return `data:image/png;base64,${png.toString('base64')}`;
    }),
  );
}

export function createTrainHandlers(
  currentProject: () => Project | null,
  requireProject: () => Project,
  emit: EventSink,
  launcher?: TrainerLauncher,
): TrainService {
  /** The run this service trains now; cleared when its worker reports the end. */
  let active: Training | null = null;
  /** Every worker still alive (one that reported its end may not have exited yet). */
  const live = new Set<Training>();
  const runs = () => new RunsRepo(requireProject().db);

  function requireRun(runId: number): Run {
    const run = runs().get(runId);
    if (!run) throw new ApiError('not_found', `run ${runId} does not exist`, 'runId');
    return run;
  }

  function refuseIfBusy(): void {
    if (active) throw new ApiError('busy', `run ${active.runId} is training: stop it or wait for it to finish before starting another`);
  }

  function launch(project: Project, runId: number): void {
    const training: Training = {
      runId,
      handle: startTraining({
        db: project.db,
        projectDir: project.dir,
        runId,
        ...(launcher ? { launcher } : {}),
        onEvent: (event) => {
          if (event.type === 'end' && active === training) active = null;
          emit('train.progress', event);
        },
      }),
    };
    active = training;
    live.add(training);
    void training.handle.done.then(() => {
      live.delete(training);
      if (active === training) active = null;
      if (!project.isClosed) emit('project.changed', { reason: 'runs' });
    });
  }

  async function backboneInfo(entry: BackboneEntry, projectDir: string | null) {
    const { projectBackbonesDir } = await import('../train/backbones/resolve-backbone.js');
    const d = entry.descriptor;
    const own = projectDir !== null && entry.dir.startsWith(projectBackbonesDir(projectDir) + path.sep);
    return {
      id: d.id,
      name: d.name,
      format: d.format,
      inputSize: d.inputSize,
      featureDim: d.featureDim,
      licence: d.licence ?? null,
      source: d.source ? (Object.fromEntries(Object.entries(d.source).filter(([, v]) => typeof v === 'string')) as Record<string, string>) : null,
      bundled: !own,
    };
  }

  async function takenBackboneIds(projectDir: string): Promise<Set<string>> {
    const { listBackbones } = await import('../train/backbones/resolve-backbone.js');
    return new Set(listBackbones(projectDir).map((b) => b.descriptor.id));
  }

  const handlers: TrainHandlers = {
    'train.defaults': ({ splitVersion }) => suggestDefaults(requireProject().db, splitVersion),

    'train.start': ({ config }) => {
      const project = requireProject();
      refuseIfBusy();
      const run = createRun(project.db, config, project.dir);
      launch(project, run.id);
      return { run: runRowOf(project.db, requireRun(run.id)) };
    },
    'train.stop': ({ runId }) => {
      let run = requireRun(runId);
      // Stopping a member stops its ensemble (the member in progress, and the rest stay queued).
      if (run.kind === 'member' && run.parentRunId !== null && active?.runId === run.parentRunId) {
        runId = run.parentRunId;
        run = requireRun(runId);
      }
      if (active?.runId === runId) {
        active.handle.stop();
        return { run: runRowOf(requireProject().db, requireRun(runId)) };
      }
      if (run.status === 'running' || run.status === 'stopping') {
        throw new ApiError('conflict', `run ${runId} is training in another process (a \`holdout train\` in a terminal?): stop it there`, 'runId');
      }
      throw new ApiError('conflict', `run ${runId} is not training (it is ${run.status})`, 'runId');
    },
    'train.resume': ({ runId }) => {
      const project = requireProject();
      refuseIfBusy();
      const run = requireRun(runId);
      if (run.kind === 'member') {
        throw new ApiError('conflict', `run ${runId} is a member of ensemble ${run.parentRunId}: resume the ensemble, which continues with its unfinished members`, 'runId');
      }
      if (run.status === 'completed') throw new ApiError('conflict', `run ${runId} has completed: there is nothing to resume`, 'runId');
      if (run.status === 'running' || run.status === 'stopping') {
        throw new ApiError('conflict', `run ${runId} is still ${run.status} in another process`, 'runId');
      }
      launch(project, runId);
      return { run: runRowOf(project.db, requireRun(runId)) };
    },
    'train.active': () => ({ runId: active?.runId ?? null }),

    'runs.list': () => ({ runs: runRows(requireProject().db, runs().list()) }),
    'runs.get': ({ runId }) => {
      const run = requireRun(runId);
      const repo = runs();
      const batchCount = requireProject().db.prepare('SELECT count(*) FROM run_batches WHERE run_id = ?').pluck().get(runId) as number;
      const every = Math.max(1, Math.ceil(batchCount / MAX_BATCH_POINTS));
      const config = run.config && typeof run.config === 'object' ? (run.config as Record<string, unknown>) : {};
      return {
        run: runRowOf(requireProject().db, run),
        config,
        epochs: repo.epochs(runId),
        checkpoints: repo.checkpoints(runId).map((c) => ({
          kind: c.kind,
          epoch: c.epoch,
          path: c.path,
          valLoss: c.valLoss,
          valAccuracy: c.valAccuracy,
          bytes: c.bytes,
          createdAt: c.createdAt,
        })),
        batches: repo.batches(runId, { every }),
        batchEvery: every,
      };
    },
    'runs.coach': ({ runId }) => {
      const { history, facts } = coachInput(requireProject().db, runId);
      return { findings: coachRun(history, facts) };
    },

    'augment.preview': async ({ imageId, augmentation, count, seed }) => {
      const project = requireProject();
      const source = project.images.source(imageId);
      const detail = project.images.detail(imageId);
      if (!source || !detail) throw new ApiError('not_found', `no image with id ${imageId} in this project`, 'imageId');
      const params = parsePreviewAugmentation(augmentation);
      const drawn = seed ?? newSeed();
      const images = await augmentPreviewPngs({ pathBytes: source.pathBytes, path: detail.path }, params, count, drawn);
      return { seed: drawn, images };
    },

    'backbones.list': async () => {
      const { listBackbones } = await import('../train/backbones/resolve-backbone.js');
      const dir = currentProject()?.dir ?? null;
      return { backbones: await Promise.all(listBackbones(dir).map((b) => backboneInfo(b, dir))), defaultId: defaultBackboneId };
    },
    'backbones.inspect': async ({ folder }) => {
      const { inspectModelFolder } = await import('../train/backbones/inspect-model.js');
      await ensureServiceBackend();
      const info = await inspectModelFolder(path.resolve(folder));
      return { format: info.format, inputSize: info.inputSize, channels: info.channels, candidates: info.candidates, suggested: info.suggested };
    },
    'backbones.import': async ({ folder, featureLayer, name, inputSize }) => {
      const project = requireProject();
      const { importModelFolder } = await import('../train/backbones/import-model-folder.js');
      const { projectBackbonesDir } = await import('../train/backbones/resolve-backbone.js');
      await ensureServiceBackend();
      const source = path.resolve(folder);
      const id = freeBackboneId(name ?? path.basename(source), await takenBackboneIds(project.dir));
      const entry = await importModelFolder(source, path.join(projectBackbonesDir(project.dir), id), {
        id,
        ...(name ? { name } : {}),
        ...(featureLayer ? { featureLayer } : {}),
        ...(inputSize ? { inputSize } : {}),
      });
      return backboneInfo(entry, project.dir);
    },
    'backbones.catalog': async () => {
      const project = currentProject();
      const installed = project ? await takenBackboneIds(project.dir) : new Set<string>();
      return {
        entries: onlineCatalog.map((e) => ({
          id: e.id,
          name: e.name,
          description: e.description,
          homepage: e.homepage,
          licence: e.licence,
          format: e.format,
          inputSize: e.inputSize,
          featureDim: e.featureDim,
          approxMegabytes: e.approxMegabytes,
          installed: installed.has(e.id),
        })),
      };
    },
    'backbones.download': async ({ id }) => {
      const project = requireProject();
      const entry = catalogEntry(id);
      if ((await takenBackboneIds(project.dir)).has(id)) throw new ApiError('conflict', `backbone "${id}" is already in this project`, 'id');
      const { installOnlineModel } = await import('../train/backbones/install-online-model.js');
      const { projectBackbonesDir } = await import('../train/backbones/resolve-backbone.js');
      await ensureServiceBackend();
      const installed = await installOnlineModel(entry, path.join(projectBackbonesDir(project.dir), id), {
        onProgress: (p) => emit('backbones.progress', { id, ...p }),
      });
      return backboneInfo(installed, project.dir);
    },
  };

  return {
    handlers,
    activeRunId: () => active?.runId ?? null,
    async shutdown() {
      const all = [...live];
      active = null;
      for (const t of all) t.handle.kill();
      // The host marks the run interrupted when it sees its worker exit; wait for that,
      // but never hang a quitting app on a worker that will not say so.
      await Promise.race([Promise.all(all.map((t) => t.handle.done)), new Promise((r) => setTimeout(r, 5000).unref())]);
    },
  };
}
