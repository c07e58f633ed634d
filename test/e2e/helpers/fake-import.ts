// A simulated import for the fake bridge: progress events on a timer, cancel, the
// bad-file list, and `import.active` — so the renderer's handling of a running import
// (restore after reload, hide, cancel, an import that ends before import.start
// answers) is tested without depending on how fast a real import runs.
import type { Emit, FakeHandlers } from './fake-bridge.js';

export interface FakeImportOptions {
  /** An import already running when the page opens (total files). */
  runningAtStart?: number;
  /** Files per tick (a tick is 100 ms). */
  perTick?: number;
  /** import.start: finish at once and send import.finished before answering. */
  finishBeforeAnswer?: boolean;
}

export const FAKE_IMPORT_ERRORS = [
  { path: '/photos/cats/broken.jpg', reason: 'truncated JPEG: the file ends before the image does' },
  { path: '/photos/dogs/huge.png', reason: 'too large: 30000 × 30000 pixels is over the 100-megapixel limit' },
];

interface Run {
  importId: number;
  total: number;
  done: number;
  timer: ReturnType<typeof setInterval> | null;
  started: number;
}

export function fakeImport(options: FakeImportOptions): FakeHandlers {
  return (emit: Emit) => {
    let nextId = 1;
    let run: Run | null = null;
    const perTick = options.perTick ?? 5;

    const progress = (r: Run) => {
      const seconds = Math.max(0.1, (Date.now() - r.started) / 1000);
      const rate = r.done / seconds;
      return {
        importId: r.importId,
        phase: 'processing' as const,
        done: r.done,
        total: r.total,
        imported: Math.max(0, r.done - 2),
        skipped: 0,
        errors: Math.min(2, r.done),
        rate,
        etaSeconds: rate > 0 ? (r.total - r.done) / rate : null,
      };
    };
    const summary = (r: Run, status: 'done' | 'cancelled') => ({
      importId: r.importId,
      status,
      source: '/photos',
      imported: Math.max(0, r.done - 2),
      skippedDuplicates: 0,
      updated: 0,
      exactDuplicates: 1,
      errors: FAKE_IMPORT_ERRORS,
      seconds: (Date.now() - r.started) / 1000,
    });
    const finish = (r: Run, status: 'done' | 'cancelled') => {
      if (r.timer) clearInterval(r.timer);
      run = null;
      emit('import.finished', summary(r, status));
      emit('project.changed', { reason: 'import' });
    };
    const begin = (total: number): Run => {
      const r: Run = { importId: nextId++, total, done: 0, timer: null, started: Date.now() };
      r.timer = setInterval(() => {
        r.done = Math.min(r.total, r.done + perTick);
        emit('import.progress', progress(r));
        if (r.done >= r.total) finish(r, 'done');
      }, 100);
      run = r;
      return r;
    };
    if (options.runningAtStart) begin(options.runningAtStart);

    return {
      'import.active': () => (run ? progress(run) : null),
      'import.start': () => {
        if (run) throw Object.assign(new Error('an import is already running'), { code: 'busy' });
        if (options.finishBeforeAnswer) {
          const r: Run = { importId: nextId++, total: 24, done: 24, timer: null, started: Date.now() - 500 };
          emit('import.progress', progress(r));
          emit('import.finished', summary(r, 'done'));
          emit('project.changed', { reason: 'import' });
          // Answer a moment later, as a slow bridge would.
          return new Promise((resolve) => setTimeout(() => resolve({ importId: r.importId }), 300));
        }
        return { importId: begin(500).importId };
      },
      'import.cancel': (req) => {
        if (!run || run.importId !== req.importId) return { cancelled: false };
        finish(run, 'cancelled');
        return { cancelled: true };
      },
      'import.errors': (req) => ({ importId: (req.importId as number | undefined) ?? null, errors: FAKE_IMPORT_ERRORS }),
    };
  };
}
