// The implementation of the API contract over the engine: one open project at a time,
// one import at a time. Every transport (Electron IPC, the web bridge, tests) drives
// the same handlers, so behaviour cannot drift between the desktop app and the browser.
import os from 'node:os';
import path from 'node:path';
import type { EventSink, Handlers } from '../../api/contract.js';
import { ApiError } from '../../api/errors.js';
import type { ImportProgress } from '../../api/schemas.js';
import { warmNearIndex } from '../curation/warm-near-index.js';
import { startImport } from '../ingest/start-import.js';
import { createProject, openProject, type Project } from '../project/project.js';
import type { LockApp } from '../project/project-lock.js';
import { refuseWritesWhenReadOnly } from '../project/read-only.js';
import { RecentProjects } from '../settings/recent-projects.js';
import { processIsAlive, RunsRepo } from '../store/runs-repo.js';
import type { TrainerLauncher } from '../train/train-host.js';
import { packageInfo } from '../util/package-info.js';
import { createCurationHandlers } from './curation-handlers.js';
import { createEvaluateHandlers } from './evaluate-handlers.js';
import { createExportHandlers } from './export-handlers.js';
import { createPredictHandlers } from './predict-handlers.js';
import { createRunManageHandlers } from './run-manage-handlers.js';
import { listFolder } from './list-folder.js';
import { createSplitHandlers } from './split-handlers.js';
import { createTrainHandlers } from './train-handlers.js';
import { trailingThrottle } from './trailing-throttle.js';

export interface ServiceOptions {
  /** Where app-wide settings (recent projects) live: Electron's userData, or a CLI flag. */
  settingsDir: string;
  shell: 'electron' | 'web';
  emit: EventSink;
  /** Methods a shell implements itself (Electron's native folder dialog). */
  overrides?: Partial<Handlers>;
  /** How training and evaluation workers start: a worker thread by default; the desktop app forks a utility process. */
  trainerLauncher?: TrainerLauncher;
}

export interface HoldoutService {
  handlers: Handlers;
  project(): Project | null;
  /** Opens a project without going through a request (the CLI's `serve --project`). */
  openProjectDir(dir: string): Project;
  dispose(): Promise<void>;
}

/** How often, at most, an import in progress says the project changed (the Library reloads on it). */
export const IMPORT_CHANGE_INTERVAL_MS = 1000;

interface ActiveImport {
  importId: number;
  controller: AbortController;
  done: Promise<unknown>;
  last: ImportProgress;
}

export function createService(options: ServiceOptions): HoldoutService {
  const recent = new RecentProjects(options.settingsDir);
  let project: Project | null = null;
  let active: ActiveImport | null = null;
  // The app and the web bridge open projects for changes: they hold the project's lock.
  const lockApp: LockApp = options.shell === 'electron' ? 'desktop' : 'web';

  function requireProject(): Project {
    if (!project) throw new ApiError('no_project', 'no project is open: create or open one first');
    return project;
  }

  const training = createTrainHandlers(() => project, requireProject, options.emit, options.trainerLauncher);
  const evaluation = createEvaluateHandlers(requireProject, options.emit, options.trainerLauncher);
  const exporting = createExportHandlers(requireProject, options.emit, options.trainerLauncher);
  const predicting = createPredictHandlers(requireProject, options.emit, {
    ...(options.trainerLauncher ? { launcher: options.trainerLauncher } : {}),
    importBusy: () => active !== null,
  });
  const runManagement = createRunManageHandlers(requireProject, options.emit, {
    trainingRunId: training.activeRunId,
    isEvaluating: evaluation.isEvaluating,
  });

  /** Ends the workers that use the open project's database, before it closes. */
  async function stopWorkers(): Promise<void> {
    await Promise.all([training.shutdown(), evaluation.shutdown(), exporting.shutdown(), predicting.shutdown()]);
  }

  /** Runs left 'running' by a process that is gone (a crash, the app closed) become resumable. */
  function adopt(opened: Project): Project {
    // A read-only project is shown as it is: nothing to recover, nothing may be written.
    if (opened.readOnly) return opened;
    new RunsRepo(opened.db).interruptOrphans(processIsAlive);
    // The first near-duplicate view then finds its index built (in a worker thread).
    void warmNearIndex(opened.db);
    return opened;
  }

  async function stopImport(): Promise<void> {
    if (!active) return;
    active.controller.abort();
    await active.done.catch(() => undefined);
  }

  async function switchTo(next: () => Project, dir?: string): Promise<Project> {
    await stopImport();
    // Reopening the project that is open: this service holds its lock, so let it go first.
    if (project && dir !== undefined && path.resolve(dir) === project.dir) {
      await stopWorkers();
      project.close();
      project = null;
    }
    const opened = adopt(next());
    await stopWorkers();
    project?.close();
    project = opened;
    recent.touch(opened.dir, opened.name);
    options.emit('project.changed', { reason: 'opened' });
    return opened;
  }

  const handlers: Handlers = {
    'app.info': () => ({
      version: packageInfo().version,
      shell: options.shell,
      platform: process.platform,
      homeDir: os.homedir(),
    }),

    'project.create': async ({ dir, name }) => (await switchTo(() => createProject(dir, name, { lock: lockApp }))).summary(),
    'project.open': async ({ dir }) => (await switchTo(() => openProject(dir, { lock: lockApp }), dir)).summary(),
    'project.close': async () => {
      if (!project) return { closed: false };
      await stopImport();
      await stopWorkers();
      project.close();
      project = null;
      options.emit('project.changed', { reason: 'closed' });
      return { closed: true };
    },
    'project.current': () => project?.summary() ?? null,
    'project.recent': () => recent.list(),

    'fs.list': ({ dir }) => listFolder(dir),
    'dialog.pickFolder': () => ({ path: null }),

    'import.start': ({ source }) => {
      const p = requireProject();
      if (active) throw new ApiError('busy', 'an import is already running: wait for it or cancel it');
      const controller = new AbortController();
      // Rows are committed in batches while the import runs: say so about once a second,
      // so the Library's counts and grid grow with the import, not only at its end.
      const changed = trailingThrottle(() => options.emit('project.changed', { reason: 'import' }), IMPORT_CHANGE_INTERVAL_MS);
      let announced = 0;
      const running = startImport(p, {
        source,
        signal: controller.signal,
        onProgress: (progress) => {
          if (active) active.last = progress;
          options.emit('import.progress', progress);
          if (progress.imported > announced) {
            announced = progress.imported;
            changed.request();
          }
        },
      });
      const entry: ActiveImport = {
        importId: running.importId,
        controller,
        done: running.done,
        last: {
          importId: running.importId,
          phase: 'scanning',
          done: 0,
          total: 0,
          imported: 0,
          skipped: 0,
          errors: 0,
          rate: 0,
          etaSeconds: null,
        },
      };
      active = entry;
      running.done
        .finally(() => changed.cancel())
        .then((summary) => {
          if (project && !project.isClosed) void warmNearIndex(project.db);
          options.emit('import.finished', summary);
          options.emit('project.changed', { reason: 'import' });
        })
        .catch((err: unknown) => {
          // startImport reports bad files in its summary; reaching here is a bug or a
          // failing disk. Say so rather than leave the UI waiting.
          options.emit('import.finished', {
            importId: entry.importId,
            status: 'failed',
            source: source.kind === 'csv' ? source.csv : source.folder,
            imported: 0,
            skippedDuplicates: 0,
            updated: 0,
            exactDuplicates: 0,
            errors: [],
            seconds: 0,
            message: (err as Error).message,
          });
          // Rows committed before the failure stay in the project.
          options.emit('project.changed', { reason: 'import' });
        })
        .finally(() => {
          if (active === entry) active = null;
        });
      return { importId: running.importId };
    },
    'import.cancel': ({ importId }) => {
      if (!active || active.importId !== importId) return { cancelled: false };
      active.controller.abort();
      return { cancelled: true };
    },
    'import.errors': ({ importId }) => {
      const p = requireProject();
      const id = importId ?? p.imports.latestId();
      return { importId: id, errors: id === null ? [] : p.imports.errors(id) };
    },
    'import.active': () => active?.last ?? null,

    'classes.list': () => {
      const p = requireProject();
      return { classes: p.classes.list(), unlabeled: p.images.count({ classId: null }), total: p.images.count() };
    },
    'images.page': ({ filter, offset, limit }) => {
      const p = requireProject();
      // The count is remembered while nothing changes (the grid asks it for every page);
      // a page past the end is empty without stepping over every row to find so.
      const total = p.images.count(filter);
      return { total, offset, items: offset >= total ? [] : p.images.page(filter, offset, limit) };
    },
    'images.get': ({ id }) => {
      const detail = requireProject().images.detail(id);
      if (!detail) throw new ApiError('not_found', `no image with id ${id} in this project`, 'id');
      return detail;
    },
    ...createCurationHandlers(requireProject, options.emit),
    ...createSplitHandlers(requireProject, options.emit),
    ...training.handlers,
    ...evaluation.handlers,
    ...exporting.handlers,
    ...predicting.handlers,
    ...runManagement,
    ...options.overrides,
  };

  refuseWritesWhenReadOnly(handlers, () => project);

  return {
    handlers,
    project: () => project,
    openProjectDir(dir) {
      if (active) throw new ApiError('busy', 'an import is running');
      if (training.activeRunId() !== null) throw new ApiError('busy', 'a training run is running');
      if (project && path.resolve(dir) === project.dir) {
        project.close();
        project = null;
      }
      const opened = adopt(openProject(dir, { lock: lockApp }));
      project?.close();
      project = opened;
      recent.touch(opened.dir, opened.name);
      return opened;
    },
    async dispose() {
      await stopImport();
      await stopWorkers();
      project?.close();
      project = null;
    },
  };
}
