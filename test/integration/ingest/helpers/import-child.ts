// Runs one import in its own process, for the tests that must kill it (crash) or run
// it as another user (unreadable files). Usage:
//   node --import tsx import-child.ts <projectDir> <folder>
// Prints one JSON line per progress update, then {"summary": …}.
import { startImport } from '../../../../electron/engine/ingest/start-import.js';
import { openOrCreateProject } from '../../../../electron/engine/project/project.js';

const [projectDir, folder] = process.argv.slice(2);
if (!projectDir || !folder) throw new Error('usage: import-child.ts <projectDir> <folder>');
const project = openOrCreateProject(projectDir);
const running = startImport(project, {
  source: { kind: 'folder', folder },
  workers: 1,
  onProgress: (progress) => process.stdout.write(`${JSON.stringify({ progress })}\n`),
});
const summary = await running.done;
process.stdout.write(`${JSON.stringify({ summary })}\n`);
project.close();
