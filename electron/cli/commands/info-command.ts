// holdout info --project <dir>
import { openForReading } from '../open-project.js';
import { emitLine } from '../output.js';

export function infoCommand(args: { project: string }): number {
  const project = openForReading(args.project);
  try {
    const summary = project.summary();
    emitLine('info', {
      project: project.dir,
      name: summary.name,
      schema_version: summary.schemaVersion,
      images: summary.imageCount,
      unlabeled: project.images.count({ classId: null }),
      excluded: project.images.count({ status: 'excluded', includeTest: true }),
      classes: project.classes.list().map((c) => ({ name: c.name, count: c.count })),
    });
    return 0;
  } finally {
    project.close();
  }
}
