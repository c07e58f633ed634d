import { describe, expect, it } from 'vitest';
import { methodNames, methods, type Handlers } from '../../../electron/api/contract.js';
import { dispatch } from '../../../electron/api/dispatch.js';
import { ApiError } from '../../../electron/api/errors.js';

// Every handler answers with the method's name, so a test can see which one ran.
const handlers = Object.fromEntries(methodNames.map((m) => [m, async () => m])) as unknown as Handlers;

describe('dispatch', () => {
  it('runs the named handler with a validated request', async () => {
    expect(await dispatch(handlers, 'project.open', { dir: '/tmp/p' })).toEqual({ ok: true, value: 'project.open' });
  });

  it('refuses unknown methods, including prototype names', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 42, null]) {
      const r = await dispatch(handlers, name, {});
      expect(r).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    }
  });

  it('names the bad field of an invalid request', async () => {
    const r = await dispatch(handlers, 'images.page', { filter: {}, offset: -1, limit: 10 });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_request', field: 'offset' } });
    const r2 = await dispatch(handlers, 'import.start', { source: { kind: 'folder', folder: '' } });
    expect(r2).toMatchObject({ ok: false, error: { code: 'invalid_request', field: 'source.folder' } });
  });

  it('rejects unknown fields (strict requests), wrong types and hostile values', async () => {
    const hostile: [string, unknown][] = [
      ['project.open', { dir: '/x', extra: 1 }],
      ['project.open', { dir: 5 }],
      ['project.open', { dir: 'a\0b' }],
      ['project.open', { dir: 'x'.repeat(5000) }],
      ['project.open', 'a string'],
      ['project.open', [1, 2]],
      ['images.get', { id: 1.5 }],
      ['images.get', { id: -3 }],
      ['images.page', { offset: 0, limit: 100000 }],
      ['import.start', { source: { kind: 'ftp', folder: '/x' } }],
      ['import.start', { source: { kind: 'csv' } }],
    ];
    for (const [m, req] of hostile) {
      const r = await dispatch(handlers, m, req);
      expect(r, `${m} ${JSON.stringify(req).slice(0, 60)}`).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    }
  });

  it('passes ApiErrors through and hides nothing else but the stack', async () => {
    const failing = {
      ...handlers,
      'project.current': () => {
        throw new ApiError('no_project', 'no project is open');
      },
      'project.recent': () => {
        throw new TypeError('bug');
      },
    } as Handlers;
    expect(await dispatch(failing, 'project.current', {})).toEqual({ ok: false, error: { code: 'no_project', message: 'no project is open' } });
    expect(await dispatch(failing, 'project.recent', {})).toEqual({ ok: false, error: { code: 'internal', message: 'bug' } });
  });

  it('every method has a request and a response schema', () => {
    for (const m of methodNames) {
      expect(methods[m].request.safeParse).toBeTypeOf('function');
      expect(methods[m].response.safeParse).toBeTypeOf('function');
    }
  });
});
