// Finds a Chromium for the browser tests and benchmarks, installing Debian's package
// when that is possible (root on Debian/Ubuntu). Never downloads a browser of its own.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome-stable', '/usr/bin/google-chrome'];

function present() {
  const fromEnv = process.env.HOLDOUT_CHROMIUM;
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : null;
  return CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

export function findChromium({ install = true } = {}) {
  const found = present();
  if (found || !install) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = fs.existsSync('/usr/bin/apt-get');
  if (process.platform === 'linux' && isRoot && hasApt) {
    console.error('test: Chromium not found; installing Debian\'s chromium package (apt-get install -y chromium)…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', '-q', 'chromium'], { stdio: 'inherit', env });
    return present();
  }
  return null;
}

export const HOW_TO_GET_CHROMIUM =
  'The browser tests need Chromium. Install it with `sudo apt-get install -y chromium` (Debian/Ubuntu), ' +
  'or point HOLDOUT_CHROMIUM at a Chromium or Chrome executable, then run `npm test` again.';

if (import.meta.url === `file://${process.argv[1]}`) {
  const p = findChromium();
  if (!p) {
    console.error(HOW_TO_GET_CHROMIUM);
    process.exit(1);
  }
  console.log(p);
}
