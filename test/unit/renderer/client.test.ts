import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../electron/api/errors.js';
import type { PreloadApi } from '../../../electron/api/window-api.js';
import {
  HoldoutClient,
  preloadTransport,
  unwrap,
  webTransport,
  type EventSourceLike,
  type FetchLike,
} from '../../../renderer/src/lib/api/client.js';

interface Sent {
  url: string;
  init: Parameters<FetchLike>[1];
}

function fakeFetch(answer: (sent: Sent) => { status: number; body: unknown }) {
  const sent: Sent[] = [];
  const fetch: FetchLike = async (url, init) => {
    const s = { url, init };
    sent.push(s);
    const a = answer(s);
    return {
      status: a.status,
      json: async () => {
        if (a.body === undefined) throw new SyntaxError('no JSON');
        return a.body;
      },
    };
  };
  return { fetch, sent };
}

class FakeEventSource implements EventSourceLike {
  static last: FakeEventSource | null = null;
  readonly listeners = new Map<string, Array<(e: { data?: unknown }) => void>>();
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, listener: (e: { data?: unknown }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
  }
  fire(type: string, data?: string) {
    for (const l of this.listeners.get(type) ?? []) l({ data });
  }
}

function webClient(answer: Parameters<typeof fakeFetch>[0], token: string | null = 'tok') {
  const f = fakeFetch(answer);
  const client = new HoldoutClient(
    webTransport({ token, fetch: f.fetch, eventSource: (url) => new FakeEventSource(url) }),
  );
  return { client, sent: f.sent };
}

describe('unwrap', () => {
  it('returns the value of {ok:true}', () => {
    expect(unwrap({ ok: true, value: 42 }, 'm')).toBe(42);
  });
  it('throws an ApiError with code, message and field for {ok:false}', () => {
    try {
      unwrap({ ok: false, error: { code: 'conflict', message: 'not empty', field: 'dir' } }, 'project.create');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe('conflict');
      expect((err as ApiError).message).toBe('not empty');
      expect((err as ApiError).field).toBe('dir');
    }
  });
  it('turns unknown codes and garbage into internal errors', () => {
    expect(() => unwrap({ ok: false, error: { code: 'weird', message: 'x' } }, 'm')).toThrow(
      expect.objectContaining({ code: 'internal', message: 'x' }),
    );
    expect(() => unwrap('nonsense', 'm')).toThrow(expect.objectContaining({ code: 'internal' }));
  });
});

describe('web transport', () => {
  it('POSTs JSON to /api/call/<method> with the bearer token', async () => {
    const { client, sent } = webClient(() => ({ status: 200, body: { ok: true, value: { closed: true } } }));
    await expect(client.call('project.close', {})).resolves.toEqual({ closed: true });
    expect(sent[0]!.url).toBe('/api/call/project.close');
    expect(sent[0]!.init.method).toBe('POST');
    expect(sent[0]!.init.headers.Authorization).toBe('Bearer tok');
    expect(sent[0]!.init.headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(sent[0]!.init.body)).toEqual({});
  });

  it('turns {ok:false} into an ApiError naming the field', async () => {
    const { client } = webClient(() => ({
      status: 200,
      body: { ok: false, error: { code: 'not_found', message: '/x does not exist', field: 'dir' } },
    }));
    await expect(client.call('project.open', { dir: '/x' })).rejects.toMatchObject({
      name: 'ApiError',
      code: 'not_found',
      field: 'dir',
      message: '/x does not exist',
    });
  });

  it('passes on the server’s error for 401/403 and explains a bare refusal', async () => {
    const withBody = webClient(() => ({
      status: 401,
      body: { ok: false, error: { code: 'forbidden', message: 'missing or wrong token' } },
    }));
    await expect(withBody.client.call('project.current', {})).rejects.toMatchObject({
      code: 'forbidden',
      message: 'missing or wrong token',
    });
    const bare = webClient(() => ({ status: 403, body: undefined }));
    await expect(bare.client.call('project.current', {})).rejects.toMatchObject({ code: 'forbidden' });
    const other = webClient(() => ({ status: 502, body: undefined }));
    await expect(other.client.call('project.current', {})).rejects.toMatchObject({ code: 'internal' });
  });

  it('says plainly when the app cannot be reached', async () => {
    const client = new HoldoutClient(
      webTransport({
        token: 't',
        fetch: async () => {
          throw new TypeError('Failed to fetch');
        },
        eventSource: null,
      }),
    );
    await expect(client.call('project.current', {})).rejects.toMatchObject({
      code: 'io_error',
      message: expect.stringContaining('not reachable'),
    });
  });

  it('builds media URLs with the token', () => {
    const { client } = webClient(() => ({ status: 200, body: null }), 'a b');
    expect(client.thumbUrl('ab12')).toBe('/media/thumb/ab12?token=a%20b');
    expect(client.imageUrl(7)).toBe('/media/image/7?token=a%20b');
    expect(client.shell).toBe('web');
    expect(client.pathForFile({})).toBe('');
  });

  it('opens one event stream with the token and delivers parsed payloads to listeners', () => {
    const { client } = webClient(() => ({ status: 200, body: null }));
    const got: unknown[] = [];
    const off = client.on('project.changed', (p) => got.push(p));
    const es = FakeEventSource.last!;
    expect(es.url).toBe('/api/events?token=tok');
    client.on('import.progress', () => {});
    expect(FakeEventSource.last).toBe(es);
    es.fire('project.changed', JSON.stringify({ reason: 'import' }));
    es.fire('project.changed', 'not json');
    expect(got).toEqual([{ reason: 'import' }]);
    off();
    es.fire('project.changed', JSON.stringify({ reason: 'again' }));
    expect(got).toHaveLength(1);
  });

  it('tells reconnect listeners when the stream comes back after an error', () => {
    const { client } = webClient(() => ({ status: 200, body: null }));
    let reconnects = 0;
    client.onReconnect(() => reconnects++);
    const es = FakeEventSource.last!;
    es.fire('open');
    expect(reconnects).toBe(0);
    es.fire('error');
    es.fire('open');
    expect(reconnects).toBe(1);
  });
});

describe('preload transport', () => {
  function preload(result: unknown): { api: PreloadApi; seen: unknown[] } {
    const seen: unknown[] = [];
    const methods = new Proxy(
      {},
      {
        get: () => async (req: unknown) => {
          seen.push(req);
          return result;
        },
      },
    ) as PreloadApi['methods'];
    return {
      seen,
      api: {
        methods,
        on: () => () => {},
        mediaBase: 'holdout-media://media/',
        pathForFile: () => '/home/ana/photos',
      },
    };
  }

  it('calls window.api and unwraps its DispatchResult', async () => {
    const { api, seen } = preload({ ok: true, value: null });
    const client = new HoldoutClient(preloadTransport(api));
    await expect(client.call('project.current', {})).resolves.toBeNull();
    expect(seen).toEqual([{}]);
    expect(client.shell).toBe('electron');
  });

  it('raises the ApiError the main process sent', async () => {
    const { api } = preload({ ok: false, error: { code: 'busy', message: 'an import is running' } });
    const client = new HoldoutClient(preloadTransport(api));
    await expect(client.call('import.start', { source: { kind: 'folder', folder: '/x' } })).rejects.toMatchObject({
      code: 'busy',
    });
  });

  it('builds media URLs on mediaBase and asks the preload for dropped paths', () => {
    const { api } = preload(null);
    const client = new HoldoutClient(preloadTransport(api));
    expect(client.thumbUrl('ff00')).toBe('holdout-media://media/thumb/ff00');
    expect(client.imageUrl(12)).toBe('holdout-media://media/image/12');
    expect(client.pathForFile({})).toBe('/home/ana/photos');
  });
});
