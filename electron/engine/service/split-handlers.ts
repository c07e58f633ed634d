// The contract's split, leakage and lockbox methods over the engine. The lockbox is
// enforced here and below (evaluate/ledger.ts), not only in the UI: without the
// confirmations the test images are never returned.
import type { EventSink, Handlers } from '../../api/contract.js';
import { ApiError } from '../../api/errors.js';
import type { splitMethods } from '../../api/split-methods.js';
import { ledgerEntries, lockboxStatus, openLockbox, recordTestResult } from '../evaluate/ledger.js';
import type { Project } from '../project/project.js';
import { assignNewImages, currentVersion, listVersions, previewSplit, saveSplit, versionLeakage } from './split-actions.js';

export type SplitHandlers = Pick<Handlers, keyof typeof splitMethods>;

/** A result is a small summary (metrics, a confusion matrix), not a data dump. */
const MAX_RESULT_CHARS = 1_000_000;

export function createSplitHandlers(requireProject: () => Project, emit: EventSink): SplitHandlers {
  const db = () => requireProject().db;
  // Which images are test changes with a new version: views that hide them reload.
  const changed = () => emit('project.changed', { reason: 'split' });

  return {
    'split.preview': (request) => previewSplit(db(), request),
    'split.save': (request) => {
      const report = saveSplit(db(), request);
      changed();
      return report;
    },
    'split.list': () => listVersions(db()),
    'split.current': () => currentVersion(db()),
    'split.assignNew': ({ allowTest, threshold }) => {
      const result = assignNewImages(db(), { allowTest, threshold });
      if (result.created) changed();
      return result;
    },
    'split.leakage': ({ versionId, threshold }) => versionLeakage(db(), versionId, threshold),

    'lockbox.status': ({ versionId }) => lockboxStatus(db(), versionId),
    'lockbox.open': (request) => openLockbox(db(), request),
    'lockbox.record': ({ entryId, result }) => {
      if (JSON.stringify(result).length > MAX_RESULT_CHARS) {
        throw new ApiError('invalid_request', `the result is larger than ${MAX_RESULT_CHARS} characters; record a summary`, 'result');
      }
      return recordTestResult(db(), entryId, result);
    },
    'lockbox.ledger': ({ versionId }) => ({ entries: ledgerEntries(db(), versionId) }),
  };
}
