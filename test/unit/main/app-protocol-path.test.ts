import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppPath } from '../../../electron/main/protocols/app-protocol-path.js';

const root = path.resolve('/opt/holdout/dist/renderer');

function refused(url: string): number | null {
  const r = resolveAppPath(root, url);
  return r.ok ? null : r.status;
}

describe('resolveAppPath', () => {
  it('serves index.html for the root and files inside the renderer', () => {
    expect(resolveAppPath(root, 'app://holdout/')).toEqual({ ok: true, file: path.join(root, 'index.html') });
    expect(resolveAppPath(root, 'app://holdout/index.html?v=1#/x')).toEqual({ ok: true, file: path.join(root, 'index.html') });
    expect(resolveAppPath(root, 'app://holdout/assets/index-Bx1.js')).toEqual({
      ok: true,
      file: path.join(root, 'assets', 'index-Bx1.js'),
    });
    expect(resolveAppPath(root, 'app://holdout/fonts/Inter%20Var.woff2')).toEqual({
      ok: true,
      file: path.join(root, 'fonts', 'Inter Var.woff2'),
    });
  });

  it('refuses other origins', () => {
    expect(refused('app://evil/index.html')).toBe(403);
    expect(refused('app://user@holdout/index.html')).toBe(403);
    expect(refused('https://holdout/index.html')).toBe(403);
    expect(refused('not a url')).toBe(400);
  });

  it('keeps `..` inside the renderer (the URL parser resolves it against the root)', () => {
    for (const url of [
      'app://holdout/../../etc/passwd',
      'app://holdout/assets/../../../etc/passwd',
      'app://holdout/%2e%2e/%2e%2e/etc/passwd',
      'app://holdout/%2E%2E/%2e%2E/etc/passwd',
    ]) {
      expect(resolveAppPath(root, url), url).toEqual({ ok: true, file: path.join(root, 'etc', 'passwd') });
    }
  });

  it('refuses encoded separators, backslashes and NUL', () => {
    expect(refused('app://holdout/..%2f..%2fetc%2fpasswd')).toBe(403);
    expect(refused('app://holdout/..%2F..%2Fetc%2Fpasswd')).toBe(403);
    expect(refused('app://holdout/..%5c..%5cwindows%5cwin.ini')).toBe(403);
    expect(refused('app://holdout/..%5C..%5Cwindows')).toBe(403);
    expect(refused('app://holdout/index.html%00.png')).toBe(403);
    expect(refused('app://holdout/a\\..\\..\\b')).toBe(403);
  });

  it('refuses dotfiles and dot segments that survive parsing', () => {
    expect(refused('app://holdout/.env')).toBe(403);
    expect(refused('app://holdout/assets/.hidden')).toBe(403);
    expect(refused('app://holdout/%2e%2e%2e/x')).toBe(403);
  });

  it('refuses absolute paths and drive letters', () => {
    expect(refused('app://holdout//etc/passwd')).toBe(403);
    expect(refused('app://holdout/%2fetc/passwd')).toBe(403);
    expect(refused('app://holdout/C:/Windows/win.ini')).toBe(403);
    expect(refused('app://holdout/C%3A/Windows/win.ini')).toBe(403);
    expect(refused('app://holdout/a//b')).toBe(403);
  });

  it('refuses bad percent-encoding and directories', () => {
    expect(refused('app://holdout/%E0%A4%A')).toBe(400);
    expect(refused('app://holdout/assets/')).toBe(404);
  });
});
