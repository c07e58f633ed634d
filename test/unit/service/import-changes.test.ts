// While an import runs, the service says `project.changed` about once a second (so the
// Library's counts and grid grow with it), not only when it ends; the throttle behind
// it runs at most once per interval and always once after the last request.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventName } from '../../../electron/api/contract.js';
import { dispatch } from '../../../electron/api/dispatch.js';
import { createService } from '../../../electron/engine/service/create-service.js';
import { trailingThrottle } from '../../../electron/engine/service/trailing-throttle.js';
import { writeShapesDataset } from '../../helpers/shapes-dataset.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-import-changes-');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('trailingThrottle', () => {
  it('runs at once, then at most once per interval, and once after the last request', async () => {
    const runs: number[] = [];
    const t0 = performance.now();
    const throttle = trailingThrottle(() => runs.push(performance.now() - t0), 100);
    throttle.request();
    expect(runs).toHaveLength(1);
    let lastRequest = 0;
    while (performance.now() - t0 < 300) {
      await sleep(5);
      lastRequest = performance.now() - t0;
      throttle.request();
    }
    await sleep(250);
    // Requests every few ms for 300 ms: a run per 100 ms at most, never closer together.
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.length).toBeLessThanOrEqual(Math.ceil(lastRequest / 100) + 1);
    for (let i = 1; i < runs.length; i++) expect(runs[i]! - runs[i - 1]!).toBeGreaterThanOrEqual(95);
    // The trailing run came after the last request.
    expect(runs.at(-1)!).toBeGreaterThanOrEqual(lastRequest);
  });

  it('cancel drops the waiting run', async () => {
    let runs = 0;
    const throttle = trailingThrottle(() => (runs += 1), 50);
    throttle.request();
    throttle.request();
    throttle.cancel();
    await sleep(100);
    expect(runs).toBe(1);
  });
});

describe('service: an import in progress', () => {
  it('says project.changed while rows are committed, so the counts grow before the end', async () => {
    const folder = await writeShapesDataset(tempDir('images'), { perClass: 200, size: 24 });
    const events: { event: EventName; payload: unknown }[] = [];
    const totalsSeen: number[] = [];
    let finished = false;
    const service = createService({
      settingsDir: tempDir('settings'),
      shell: 'web',
      emit: (event, payload) => {
        events.push({ event, payload });
        if (event === 'import.finished') finished = true;
        // What the Library does on the event: ask for the counts.
        if (event === 'project.changed' && !finished) {
          void dispatch(service.handlers, 'classes.list', {}).then((r) => r.ok && totalsSeen.push((r.value as { total: number }).total));
        }
      },
    });
    try {
      const created = await dispatch(service.handlers, 'project.create', { dir: path.join(tempDir(), 'p') });
      expect(created.ok).toBe(true);
      events.length = 0;
      const started = performance.now();
      const r = await dispatch(service.handlers, 'import.start', { source: { kind: 'folder', folder } });
      expect(r.ok).toBe(true);
      while (!finished) await sleep(20);
      const seconds = (performance.now() - started) / 1000;
      const names = events.map((e) => e.event);
      const end = names.indexOf('import.finished');
      const during = events.slice(0, end).filter((e) => e.event === 'project.changed');
      expect(during.length, `project.changed before import.finished (import took ${seconds.toFixed(1)} s)`).toBeGreaterThan(0);
      for (const e of during) expect(e.payload).toEqual({ reason: 'import' });
      // About once a second, not once per batch.
      expect(during.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
      // The counts asked for on those events were partial: the Library grew during the import.
      expect(totalsSeen.some((n) => n > 0 && n < 600), `totals seen: ${totalsSeen.join(', ')}`).toBe(true);
      // And the end is still announced.
      expect(names.slice(end)).toContain('project.changed');
    } finally {
      await service.dispose();
    }
  });
});
