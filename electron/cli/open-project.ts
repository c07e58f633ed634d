// How a command opens its project. Commands that change it (import, label, split,
// train, evaluate) take the project's lock, so they are refused while the app or
// another command has it open, with the holder named; commands that only read
// (info, inspect, runs, leakage, predict, export) take no lock and work beside it.
import { ApiError } from '../api/errors.js';
import { openOrCreateProject, openProject, type Project } from '../engine/project/project.js';

function refuseReadOnly(project: Project, command: string): Project {
  if (!project.readOnly) return project;
  project.close();
  throw new ApiError('forbidden', `${project.dir} is read-only: holdout ${command} cannot change it (copy the folder somewhere you can write)`, 'project');
}

/** Opens the project to change it: takes its lock, refuses a read-only folder. */
export function openForChanges(dir: string, command: string): Project {
  return refuseReadOnly(openProject(dir, { lock: 'cli' }), command);
}

/** Like openForChanges, creating the project when the folder has none yet (import). */
export function openOrCreateForChanges(dir: string, command: string): Project {
  return refuseReadOnly(openOrCreateProject(dir, { lock: 'cli' }), command);
}

/** Opens the project only to read it: no lock, works while another Holdout has it open. */
export function openForReading(dir: string): Project {
  return openProject(dir, { reading: true });
}
