// Makes a copy of the built command (bin/ + dist/) with one crash protection removed, so
// the crash tests can be shown to fail without it:
//   npx tsx test/integration/crash/mutants/make-mutant.ts <name>   → prints the copy's bin
//   HOLDOUT_CRASH_BIN=<that path> npx vitest run test/integration/crash/<file>
// The checkout itself is never changed (other people run its build at the same time).
// Each edit must match the built text exactly once, or the mutant is refused: a rebuilt
// dist/ that no longer matches says so instead of quietly testing the unmodified code.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../../helpers/run-cli.js';

type Edit = [file: string, from: string, to: string];

const MUTANTS: Record<string, { what: string; edits: Edit[] }> = {
  'lock-no-takeover': {
    what: 'a lock left by a dead process is never taken over (treated as alive)',
    edits: [['engine/project/project-lock.js', 'if (current.host !== host || isAlive(current.pid)) throw', 'if (current.host !== host || true) throw']],
  },
  'label-no-transaction': {
    what: 'a labels CSV is applied row by row, each row committed on its own',
    edits: [
      ['engine/labeling/apply-label-csv.js', 'return db.transaction(() => {', 'return (() => {'],
      ['engine/labeling/apply-label-csv.js', '}).immediate();', '})();'],
      ['engine/labeling/apply-action.js', 'return db.transaction(() => {', 'return (() => {'],
      ['engine/labeling/apply-action.js', '}).immediate();', '})();'],
    ],
  },
  'split-no-transaction': {
    what: 'a split version and its assignments are inserted without a transaction',
    edits: [
      ['engine/store/splits-repo.js', 'const save = this.db.transaction(() => {', 'const save = (() => {'],
      ['engine/store/splits-repo.js', 'return this.get(save.immediate());', 'return this.get(save());'],
    ],
  },
  // The two above leave a window of a few milliseconds (the inserts themselves), which a
  // handful of random kills rarely hits. These variants also slow each row down by 5 ms,
  // only so the window is wide enough for the check to be seen failing in a short run.
  'label-no-transaction-slow': {
    what: 'a labels CSV is applied row by row, each row committed on its own, 5 ms apart',
    edits: [
      ['engine/labeling/apply-label-csv.js', 'return db.transaction(() => {', 'return (() => {'],
      ['engine/labeling/apply-label-csv.js', '}).immediate();', '})();'],
      ['engine/labeling/apply-action.js', 'return db.transaction(() => {', 'return (() => {'],
      ['engine/labeling/apply-action.js', '}).immediate();', '})();'],
      ['engine/labeling/apply-action.js', 'update.run(classId, s.status, s.status === "excluded" ? s.reason : null, c.imageId);', 'update.run(classId, s.status, s.status === "excluded" ? s.reason : null, c.imageId); for (const t = Date.now(); Date.now() - t < 5; );'],
    ],
  },
  'split-no-transaction-slow': {
    what: 'a split version and its assignments are inserted without a transaction, 5 ms apart',
    edits: [
      ['engine/store/splits-repo.js', 'const save = this.db.transaction(() => {', 'const save = (() => {'],
      ['engine/store/splits-repo.js', 'return this.get(save.immediate());', 'return this.get(save());'],
      ['engine/store/splits-repo.js', 'add.run(id, imageId, split);', '{ add.run(id, imageId, split); for (const t = Date.now(); Date.now() - t < 5; ); }'],
    ],
  },
  'thumbnail-after-row': {
    what: 'a thumbnail lands on disk after its row is committed (written 200 ms later)',
    edits: [['engine/ingest/thumbnail-file.js', 'fs.writeFileSync(tmp, webp);\n      fs.renameSync(tmp, final);', 'setTimeout(() => { fs.writeFileSync(tmp, webp); fs.renameSync(tmp, final); }, 200);']],
  },
  'resume-from-scratch': {
    what: 'a resumed run ignores its last checkpoint and trains from epoch 1',
    edits: [['engine/train/run/run-training.js', 'const last = runs.checkpoint(run.id, "last");', 'const last = void 0;']],
  },
  'export-in-place': {
    what: 'an export is written straight into its folder (no temporary sibling, no rename)',
    edits: [
      ['engine/export/export-folder.js', 'const dir = path.join(path.dirname(target), `.${path.basename(target)}.export-${suffix}`);', 'const dir = target; fs.rmSync(target, { recursive: true, force: true });'],
      ['engine/export/export-folder.js', 'commit() {', 'commit() { return;'],
    ],
  },
};

function makeMutant(name: string): string {
  const mutant = MUTANTS[name];
  if (!mutant) throw new Error(`unknown mutant "${name}": one of ${Object.keys(MUTANTS).join(', ')}`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `holdout-mutant-${name}-`));
  fs.cpSync(path.join(repoRoot, 'bin'), path.join(root, 'bin'), { recursive: true });
  fs.cpSync(path.join(repoRoot, 'dist'), path.join(root, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(repoRoot, 'package.json'), path.join(root, 'package.json'));
  // Read-only parts the command finds beside dist/ (packages, the export's example files).
  for (const shared of ['node_modules', 'resources']) fs.symlinkSync(path.join(repoRoot, shared), path.join(root, shared));
  for (const [rel, from, to] of mutant.edits) {
    const file = path.join(root, 'dist', 'electron', rel);
    const text = fs.readFileSync(file, 'utf8');
    const count = text.split(from).length - 1;
    if (count !== 1) throw new Error(`${rel}: expected the text to change once, found it ${count} times: ${from}`);
    fs.writeFileSync(file, text.replace(from, to));
  }
  process.stderr.write(`mutant ${name}: ${mutant.what}\n`);
  return path.join(root, 'bin', 'holdout.js');
}

process.stdout.write(`${makeMutant(process.argv[2] ?? '')}\n`);
