// The service's project lifecycle, recent list and folder listing, through the same
// dispatch gate every transport uses.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventName } from '../../../electron/api/contract.js';
import { dispatch } from '../../../electron/api/dispatch.js';
import { createService } from '../../../electron/engine/service/create-service.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-service-');

function setup() {
  const events: { event: EventName; payload: unknown }[] = [];
  const service = createService({ settingsDir: tempDir('settings'), shell: 'web', emit: (event, payload) => events.push({ event, payload }) });
  const call = async (method: string, request: unknown = {}) => {
    const r = await dispatch(service.handlers, method, request);
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.value as any;
  };
  return { service, events, call };
}

describe('service: projects', () => {
  it('creates, closes, reopens a project and remembers it as recent', async () => {
    const { service, events, call } = setup();
    expect(await call('project.current')).toBeNull();
    const dir = path.join(tempDir(), 'Wasps');
    const created = await call('project.create', { dir, name: 'Wasps 2026' });
    expect(created).toMatchObject({ dir, name: 'Wasps 2026', imageCount: 0 });
    expect(events.map((e) => e.event)).toContain('project.changed');
    expect(await call('project.close')).toEqual({ closed: true });
    expect(await call('project.close')).toEqual({ closed: false });
    await call('project.open', { dir });
    expect((await call('project.current')).name).toBe('Wasps 2026');
    const recent = await call('project.recent');
    expect(recent[0]).toMatchObject({ dir, name: 'Wasps 2026', exists: true });
    fs.rmSync(dir, { recursive: true });
    expect((await call('project.recent'))[0].exists).toBe(false);
    await service.dispose();
  });

  it('methods that need a project say so when none is open', async () => {
    const { service } = setup();
    for (const [m, req] of [
      ['classes.list', {}],
      ['images.page', { offset: 0, limit: 10 }],
      ['images.get', { id: 1 }],
      ['import.start', { source: { kind: 'folder', folder: '/tmp' } }],
    ] as const) {
      const r = await dispatch(service.handlers, m, req);
      expect(r, m).toMatchObject({ ok: false, error: { code: 'no_project' } });
    }
    await service.dispose();
  });

  it('opening a missing folder names it and keeps the current project open', async () => {
    const { service, call } = setup();
    const dir = path.join(tempDir(), 'current');
    await call('project.create', { dir });
    const r = await dispatch(service.handlers, 'project.open', { dir: path.join(tempDir(), 'missing') });
    expect(r).toMatchObject({ ok: false, error: { code: 'not_found', field: 'dir' } });
    expect((await call('project.current')).dir).toBe(dir);
    await service.dispose();
  });

  it('a corrupt recent-projects file does not stop the app', async () => {
    const settings = tempDir('settings');
    fs.writeFileSync(path.join(settings, 'recent-projects.json'), '{ not json');
    const service = createService({ settingsDir: settings, shell: 'web', emit: () => undefined });
    expect(await dispatch(service.handlers, 'project.recent', {})).toEqual({ ok: true, value: [] });
    await service.dispose();
  });

  it('lists folders for the browser folder picker, sub-folders first, hidden entries left out', async () => {
    const { service, call } = setup();
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'zebra'));
    fs.mkdirSync(path.join(dir, '.hidden'));
    fs.writeFileSync(path.join(dir, 'a.jpg'), 'x');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'x');
    const listing = await call('fs.list', { dir });
    expect(listing.dir).toBe(dir);
    expect(listing.parent).toBe(path.dirname(dir));
    expect(listing.entries.map((e: { name: string }) => e.name)).toEqual(['zebra', 'a.jpg']);
    const r = await dispatch(service.handlers, 'fs.list', { dir: path.join(dir, 'a.jpg') });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_request', field: 'dir' } });
    await service.dispose();
  });
});
