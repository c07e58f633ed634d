import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appLayout } from '../../../electron/main/app-layout.js';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

describe('appLayout', () => {
  // main.js sits where package.json's "main" says; the rest must be where
  // scripts/build.mjs writes it and where electron-builder packs it.
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
  const layout = appLayout(path.dirname(path.join(root, pkg.main)));

  it('finds the bundled preload where build.mjs writes it', () => {
    expect(path.relative(root, layout.preload)).toBe(path.join('dist', 'electron', 'preload', 'preload.cjs'));
  });

  it('finds the renderer in dist/renderer', () => {
    expect(path.relative(root, layout.rendererDir)).toBe(path.join('dist', 'renderer'));
  });

  it('finds a window icon that exists', () => {
    expect(path.relative(root, layout.windowIcon)).toBe(path.join('resources', 'icons', '512x512.png'));
    expect(fs.existsSync(layout.windowIcon)).toBe(true);
  });
});
