// The contract's curation, labeling and quiz methods over the engine. Every method that
// changes labels answers with the new undo/redo state and tells the views to reload.
import type { EventSink, Handlers } from '../../api/contract.js';
import type { curationMethods } from '../../api/curation-methods.js';
import { classHistogram } from '../curation/histogram.js';
import { badFiles } from '../curation/bad-files.js';
import { conflictingLabels, exactDuplicates } from '../curation/exact-duplicates.js';
import { extremes } from '../curation/extremes.js';
import { nearDuplicates } from '../curation/near-duplicates.js';
import { answerQuiz, listQuizzes, quizResult, quizSession, startQuiz } from '../curation/quiz.js';
import { randomSample } from '../curation/sample.js';
import { createClass, deleteClass, mergeClasses, renameClass, type ClassOutcome } from '../labeling/class-actions.js';
import { defaultExportPath, exportLabels } from '../labeling/export-labels.js';
import { assignClass, excludeImages, includeImages, keepOne, type LabelOutcome } from '../labeling/label-images.js';
import { nextUnlabeled } from '../labeling/unlabeled-queue.js';
import { historyState, redo, undo } from '../labeling/undo-redo.js';
import type { Project } from '../project/project.js';
import { HistoryRepo } from '../store/history-repo.js';
import { hiddenTestCount } from '../store/test-marks.js';

export type CurationHandlers = Pick<Handlers, keyof typeof curationMethods>;

export function createCurationHandlers(requireProject: () => Project, emit: EventSink): CurationHandlers {
  const db = () => requireProject().db;
  const changed = () => emit('project.changed', { reason: 'labels' });

  const labelResult = (outcome: LabelOutcome) => {
    if (outcome.actionId !== null) changed();
    return { actionId: outcome.actionId, changed: outcome.changed, unchanged: outcome.unchanged, history: historyState(db()) };
  };
  const classResult = (outcome: ClassOutcome) => {
    if (outcome.actionId !== null) changed();
    const cls =
      outcome.classId === null
        ? null
        : (requireProject().classes.list().find((c) => c.id === outcome.classId) ?? null);
    return { class: cls, actionId: outcome.actionId, movedImages: outcome.movedImages, history: historyState(db()) };
  };

  return {
    'curation.sample': ({ seed, filter, offset, limit }) => randomSample(db(), { seed, filter, offset, limit }),
    'curation.extremes': ({ measure, end, filter, limit }) => ({ items: extremes(db(), measure, end, limit, filter) }),
    'curation.histogram': () => classHistogram(db()),
    'curation.exactDuplicates': ({ filter, offset, limit }) => exactDuplicates(db(), filter, offset, limit),
    'curation.nearDuplicates': ({ threshold, filter, offset, limit }) => nearDuplicates(db(), threshold, filter, offset, limit),
    'curation.conflicts': ({ includeTest, offset, limit }) => conflictingLabels(db(), offset, limit, includeTest),
    'curation.badFiles': ({ offset, limit }) => ({ offset, ...badFiles(db(), offset, limit) }),
    'images.idsInRange': ({ filter, offset, limit }) => ({ offset, ids: requireProject().images.idsInRange(filter, offset, limit) }),
    'images.hiddenTest': ({ filter }) => ({ hidden: hiddenTestCount(db(), filter) }),
    'curation.keepOne': ({ keepId, otherIds, kind }) => labelResult(keepOne(db(), keepId, otherIds, kind)),

    'labels.assign': ({ imageIds, classId }) => labelResult(assignClass(db(), imageIds, classId)),
    'labels.exclude': ({ imageIds, reason }) => labelResult(excludeImages(db(), imageIds, reason)),
    'labels.include': ({ imageIds }) => labelResult(includeImages(db(), imageIds)),
    'labels.nextUnlabeled': ({ afterId }) => nextUnlabeled(db(), afterId),
    'labels.undo': () => {
      const entry = undo(db());
      if (entry) changed();
      return { entry, history: historyState(db()) };
    },
    'labels.redo': () => {
      const entry = redo(db());
      if (entry) changed();
      return { entry, history: historyState(db()) };
    },
    'labels.history': ({ limit }) => ({ ...historyState(db()), entries: new HistoryRepo(db()).list(limit) }),
    'labels.exportCsv': ({ path, includeExcluded, overwrite }) => {
      const p = requireProject();
      return exportLabels(p.db, path ?? defaultExportPath(p.dir), { includeExcluded, overwrite, mayCreateFoldersIn: p.dir });
    },

    'classes.create': ({ name }) => classResult(createClass(db(), name)),
    'classes.rename': ({ id, name }) => classResult(renameClass(db(), id, name)),
    'classes.merge': ({ fromId, intoId }) => classResult(mergeClasses(db(), fromId, intoId)),
    'classes.delete': ({ id, moveImagesTo }) => classResult(deleteClass(db(), id, moveImagesTo)),

    'quiz.start': ({ size, seed }) => startQuiz(db(), size, seed),
    'quiz.get': ({ sessionId }) => quizSession(db(), sessionId),
    'quiz.answer': ({ sessionId, position, answer }) => answerQuiz(db(), sessionId, position, answer),
    'quiz.result': ({ sessionId }) => quizResult(db(), sessionId),
    'quiz.list': () => ({ sessions: listQuizzes(db()) }),
  };
}

