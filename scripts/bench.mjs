// `npm run bench -- <name>`: runs bench/<name>.ts, which prints its figures as a final
// JSON line. Benchmarks build first when they drive the built app.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const name = process.argv[2];
const available = fs.existsSync(path.join(root, 'bench'))
  ? fs.readdirSync(path.join(root, 'bench')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3))
  : [];
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name>   (one of: ${available.join(', ') || 'none yet'})`);
  process.exit(2);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', `${name}.ts`), ...process.argv.slice(3)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
