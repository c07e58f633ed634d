// Loads build/electron-builder.yml with electron-builder's own loader and schema (the
// packaging itself needs the internet and cannot run here), then checks what matters
// for Holdout: the files packed, the targets, and that every native package in the
// production dependency tree is unpacked from the asar (dlopen cannot read inside it).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { minimatch } from 'minimatch';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_FILES } from '../../../electron/engine/export/example-files.js';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const require = createRequire(import.meta.url);

interface BuilderConfig {
  appId?: string;
  productName?: string;
  directories?: { output?: string; buildResources?: string };
  files?: Array<{ filter?: string[] }>;
  asar?: boolean;
  asarUnpack?: string[];
  npmRebuild?: boolean;
  electronFuses?: Record<string, boolean>;
  publish?: unknown;
  linux?: { target?: unknown; category?: string; icon?: string };
  win?: { target?: unknown; icon?: string };
  nsis?: { deleteAppDataOnUninstall?: boolean };
  mac?: { target?: unknown; icon?: string };
}

// electron-builder's configuration loader and validator (app-builder-lib ships with it).
const { getConfig, validateConfiguration } = require(
  path.join(root, 'node_modules', 'app-builder-lib', 'out', 'util', 'config', 'config.js'),
) as {
  getConfig(projectDir: string, configPath: string, fromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debug: { isEnabled: boolean; add(): void }): Promise<void>;
};

let config: BuilderConfig;
beforeAll(async () => {
  config = await getConfig(root, 'build/electron-builder.yml', null);
});

function targetsOf(platform: { target?: unknown } | undefined): Array<{ target: string; arch: string[] }> {
  const list = Array.isArray(platform?.target) ? platform.target : [platform?.target];
  return list.map((t) => (typeof t === 'string' ? { target: t, arch: [] } : (t as { target: string; arch: string[] })));
}

describe('build/electron-builder.yml', () => {
  it("passes electron-builder's own schema", async () => {
    await expect(validateConfiguration(config, { isEnabled: false, add() {} })).resolves.toBeUndefined();
  });

  it('names the app and writes packages to release/', () => {
    expect(config.appId).toBe('org.holdout.app');
    expect(config.productName).toBe('Holdout');
    expect(config.directories?.output).toBe('release');
    expect(config.publish).toBeNull();
  });

  it('packs the build output, package.json and resources, in an asar', () => {
    expect(config.files?.flatMap((f) => f.filter ?? [])).toEqual(['dist/**', 'package.json', 'resources/**', '!resources/models/**']);
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).toBe(true);
  });

  it('ships the bundled backbones and the export example as plain files beside the archive, where HOLDOUT_RESOURCES_DIR points', () => {
    const extra = (config as unknown as { extraResources?: { from: string; to: string }[] }).extraResources;
    expect(extra).toEqual([
      { from: 'resources/models', to: 'models', filter: ['**/*'] },
      { from: 'resources/export-example', to: 'export-example', filter: ['**/*'] },
    ]);
    // Every file an export copies (example-files.ts) is in the folder that is shipped.
    for (const f of EXAMPLE_FILES) expect(fs.existsSync(path.join(root, 'resources', 'export-example', f)), f).toBe(true);
    // The copy that postinstall made is what would be shipped.
    expect(fs.existsSync(path.join(root, 'resources', 'models', 'nsfwjs-mobilenet-v2-mid', 'backbone.json'))).toBe(true);
  });

  it('packs the main entry that package.json names', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    expect(minimatch(pkg.main, 'dist/**')).toBe(true);
  });

  it('builds AppImage and deb, NSIS, and dmg for both Mac architectures', () => {
    expect(targetsOf(config.linux).map((t) => t.target)).toEqual(['AppImage', 'deb']);
    expect(config.linux?.category).toBe('Science');
    expect(targetsOf(config.win).map((t) => t.target)).toEqual(['nsis']);
    expect(targetsOf(config.mac)).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
    expect(config.nsis?.deleteAppDataOnUninstall).toBe(false);
  });

  it('points at icons that exist', () => {
    for (const icon of [config.linux?.icon, config.win?.icon, config.mac?.icon]) {
      expect(icon).toBeDefined();
      expect(fs.existsSync(path.join(root, icon!)), icon).toBe(true);
    }
  });

  it('flips the fuses that open the app to debuggers, and keeps run-as-node for the export parity check', () => {
    expect(config.electronFuses).toMatchObject({
      // parity.ts runs the exported example with ELECTRON_RUN_AS_NODE=1: without it no export passes.
      runAsNode: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });
});

// ---- native dependencies ---------------------------------------------------------

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  gypfile?: boolean;
}

const NATIVE_FILE = /\.(node|so(\.\d+)*|dylib|dll)$/;

/** Files that make a package native: compiled addons and shared libraries (not in nested node_modules). */
function nativeFiles(dir: string, rel = '', found: string[] = [], budget = { files: 20_000 }): string[] {
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    if (--budget.files < 0) break;
    const child = path.posix.join(rel, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') nativeFiles(dir, child, found, budget);
    else if (entry.isFile() && NATIVE_FILE.test(entry.name)) found.push(child);
  }
  return found;
}

/** Where Node would resolve `name` from a package at `fromDir` (nested first, then upwards). */
function locate(name: string, fromDir: string): string | null {
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === root) return null;
    const parent = path.dirname(dir);
    // Climb out of "node_modules/<pkg>" or "node_modules/@scope/<pkg>".
    if (path.basename(parent) === 'node_modules') dir = path.dirname(parent);
    else if (path.basename(path.dirname(parent)) === 'node_modules') dir = path.dirname(path.dirname(parent));
    else dir = parent;
  }
}

interface Dep {
  name: string;
  /** Path relative to the app root, as it appears inside the package ('node_modules/x'). */
  relDir: string;
  installed: boolean;
  native: boolean;
  sample: string;
}

function productionTree(): Dep[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
  const seen = new Map<string, Dep>();
  const queue: Array<{ name: string; from: string }> = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }).map(
    (name) => ({ name, from: root }),
  );
  while (queue.length > 0) {
    const { name, from } = queue.shift()!;
    const dir = locate(name, from);
    if (!dir) {
      // Not installed here (an optional native package that failed to download, or one
      // for another platform): it may well be native on a user's machine, so it must
      // be covered too.
      const relDir = `node_modules/${name}`;
      if (!seen.has(relDir)) seen.set(relDir, { name, relDir, installed: false, native: true, sample: `${relDir}/lib/addon.node` });
      continue;
    }
    const relDir = path.relative(root, dir).split(path.sep).join('/');
    if (seen.has(relDir)) continue;
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;
    const files = nativeFiles(dir);
    // Compiled files, or sources that become them on install. (package.json's "binary"
    // field is not a signal: prebuild helpers such as napi-build-utils carry one.)
    const native = files.length > 0 || manifest.gypfile === true || fs.existsSync(path.join(dir, 'binding.gyp'));
    seen.set(relDir, { name, relDir, installed: true, native, sample: `${relDir}/${files[0] ?? 'build/Release/addon.node'}` });
    for (const child of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) queue.push({ name: child, from: dir });
  }
  return [...seen.values()];
}

describe('asarUnpack', () => {
  const tree = productionTree();
  const natives = tree.filter((d) => d.native);
  const unpacked = (file: string) => (config.asarUnpack ?? []).some((glob) => minimatch(file, glob, { dot: true }));

  it('finds the native packages we know of (so the walk itself works)', () => {
    const names = natives.map((d) => d.name);
    expect(names).toContain('better-sqlite3');
    expect(names).toContain('@img/sharp-linux-x64');
    expect(names).toContain('@tensorflow/tfjs-node');
    expect(names).toContain('@tensorflow/tfjs-node-gpu');
    expect(tree.find((d) => d.name === 'zod')?.native).toBe(false);
  });

  it('covers every native package in the production dependency tree', () => {
    const missing = natives.filter((d) => !unpacked(d.sample)).map((d) => d.sample);
    expect(missing).toEqual([]);
  });

  it('does not unpack plain JavaScript packages or the app itself', () => {
    expect(unpacked('node_modules/zod/index.js')).toBe(false);
    expect(unpacked('dist/electron/main/main.js')).toBe(false);
    expect(unpacked('dist/renderer/index.html')).toBe(false);
  });
});
