// Undo and redo over the persisted history: undo brings the newest done action's rows
// back to their "before" side, redo brings the oldest undone one to its "after" side.
// Both are single transactions, and both work the same after a restart.
import type Database from 'better-sqlite3';
import { HistoryRepo, type ActionRow } from '../store/history-repo.js';
import { applySide } from './apply-action.js';

export interface HistoryState {
  canUndo: boolean;
  canRedo: boolean;
  undoSummary: string | null;
  redoSummary: string | null;
}

export function historyState(db: Database.Database): HistoryState {
  const history = new HistoryRepo(db);
  const done = history.lastDone();
  const undone = history.firstUndone();
  return {
    canUndo: done !== undefined,
    canRedo: undone !== undefined,
    undoSummary: done?.summary ?? null,
    redoSummary: undone?.summary ?? null,
  };
}

/** Reverts the newest action; returns it, or null when there is nothing to undo. */
export function undo(db: Database.Database): ActionRow | null {
  const history = new HistoryRepo(db);
  return db
    .transaction(() => {
      const action = history.lastDone();
      if (!action) return null;
      applySide(db, history, action.id, history.imageChanges(action.id), history.classChanges(action.id), 'before', `undo "${action.summary}"`);
      history.setUndone(action.id, true);
      return { ...action, undone: true };
    })
    .immediate();
}

/** Re-applies the oldest undone action; returns it, or null when there is nothing to redo. */
export function redo(db: Database.Database): ActionRow | null {
  const history = new HistoryRepo(db);
  return db
    .transaction(() => {
      const action = history.firstUndone();
      if (!action) return null;
      applySide(db, history, action.id, history.imageChanges(action.id), history.classChanges(action.id), 'after', `redo "${action.summary}"`);
      history.setUndone(action.id, false);
      return { ...action, undone: false };
    })
    .immediate();
}
