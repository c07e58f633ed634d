// The layering rules of STYLE.md, checked on every source file: the engine runs in
// plain Node (never imports electron), the API contract imports only zod, and the
// renderer never reaches Node or the engine.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');

function sources(dir: string, exts = /\.(ts|svelte)$/): string[] {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(rel, exts));
    else if (exts.test(e.name)) out.push(rel);
  }
  return out;
}

function imports(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    found.push((m[1] ?? m[2] ?? m[3])!);
  }
  return found;
}

function resolvesInto(file: string, spec: string, folder: string): boolean {
  if (!spec.startsWith('.')) return false;
  const target = path.resolve(path.dirname(path.join(root, file)), spec);
  return target.startsWith(path.join(root, folder) + path.sep);
}

describe('layers', () => {
  it('the engine never imports electron, main, preload, server or cli', () => {
    const files = sources('electron/engine');
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      for (const spec of imports(f)) {
        expect(spec === 'electron' || spec.startsWith('electron/'), `${f} imports ${spec}`).toBe(false);
        for (const layer of ['electron/main', 'electron/preload', 'electron/server', 'electron/cli']) {
          expect(resolvesInto(f, spec, layer), `${f} imports ${spec}`).toBe(false);
        }
      }
    }
  });

  it('the API contract depends on nothing but zod and itself', () => {
    for (const f of sources('electron/api')) {
      for (const spec of imports(f)) {
        const ok = spec === 'zod' || (spec.startsWith('./') && !spec.includes('..'));
        expect(ok, `${f} imports ${spec}`).toBe(true);
      }
    }
  });

  it('only electron/main and electron/preload import electron', () => {
    for (const f of [...sources('electron'), ...sources('renderer/src')]) {
      if (f.startsWith('electron/main') || f.startsWith('electron/preload')) continue;
      expect(imports(f).includes('electron'), `${f} imports electron`).toBe(false);
    }
  });

  it('the renderer never imports Node built-ins or the engine', () => {
    for (const f of sources('renderer/src')) {
      for (const spec of imports(f)) {
        expect(spec.startsWith('node:'), `${f} imports ${spec}`).toBe(false);
        for (const layer of ['electron/engine', 'electron/main', 'electron/server', 'electron/cli']) {
          expect(resolvesInto(f, spec, layer), `${f} imports ${spec}`).toBe(false);
        }
      }
    }
  });
});
