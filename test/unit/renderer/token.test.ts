import { describe, expect, it } from 'vitest';
import { TOKEN_STORAGE_KEY, takeToken, withoutToken } from '../../../renderer/src/lib/api/token.js';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
  };
}

describe('withoutToken', () => {
  it('removes only the token, keeping other parameters and the hash', () => {
    expect(withoutToken('http://127.0.0.1:5000/?token=abc')).toBe('http://127.0.0.1:5000/');
    expect(withoutToken('http://127.0.0.1:5000/?a=1&token=abc&b=2#x')).toBe('http://127.0.0.1:5000/?a=1&b=2#x');
  });
});

describe('takeToken', () => {
  it('reads the token from the address, stores it and removes it from the address bar', () => {
    const storage = memoryStorage();
    const replaced: string[] = [];
    const token = takeToken({
      href: 'http://127.0.0.1:5000/?token=s3cret',
      storage,
      replaceUrl: (u) => replaced.push(u),
    });
    expect(token).toBe('s3cret');
    expect(storage.data.get(TOKEN_STORAGE_KEY)).toBe('s3cret');
    expect(replaced).toEqual(['http://127.0.0.1:5000/']);
  });

  it('after a reload (no token in the address) uses the stored one and leaves the address alone', () => {
    const replaced: string[] = [];
    const token = takeToken({
      href: 'http://127.0.0.1:5000/',
      storage: memoryStorage({ [TOKEN_STORAGE_KEY]: 'kept' }),
      replaceUrl: (u) => replaced.push(u),
    });
    expect(token).toBe('kept');
    expect(replaced).toEqual([]);
  });

  it('prefers a new token in the address over an old stored one', () => {
    const storage = memoryStorage({ [TOKEN_STORAGE_KEY]: 'old' });
    expect(takeToken({ href: 'http://h/?token=new', storage, replaceUrl: () => {} })).toBe('new');
    expect(storage.data.get(TOKEN_STORAGE_KEY)).toBe('new');
  });

  it('works without storage, and gives null when there is no token at all', () => {
    expect(takeToken({ href: 'http://h/?token=t', storage: null, replaceUrl: () => {} })).toBe('t');
    expect(takeToken({ href: 'http://h/', storage: null, replaceUrl: () => {} })).toBeNull();
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(takeToken({ href: 'http://h/?token=t', storage: throwing, replaceUrl: () => {} })).toBe('t');
    expect(takeToken({ href: 'http://h/', storage: throwing, replaceUrl: () => {} })).toBeNull();
  });
});
