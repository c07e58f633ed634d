// Label history: every action is one undoable step, undo and redo work after the
// project is closed and opened again, a new action drops the redo branch, and class
// create/rename/merge/delete come back exactly as they were.
import { describe, expect, it } from 'vitest';
import { HISTORY_LIMIT } from '../../../electron/engine/labeling/apply-action.js';
import { createClass, deleteClass, mergeClasses, renameClass } from '../../../electron/engine/labeling/class-actions.js';
import { assignClass, excludeImages, includeImages } from '../../../electron/engine/labeling/label-images.js';
import { historyState, redo, undo } from '../../../electron/engine/labeling/undo-redo.js';
import { openProject, type Project } from '../../../electron/engine/project/project.js';
import { HistoryRepo } from '../../../electron/engine/store/history-repo.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { addImages, classOf, newProject, statusOf } from '../curation/project-fixture.js';

const tempDir = tempDirFactory('holdout-history-');

const classNames = (p: Project) => p.classes.list().map((c) => `${c.name}:${c.count}`);

describe('label history', () => {
  it('assigns many images in one action, and undo/redo survive a restart', () => {
    let p = newProject(tempDir);
    const dir = p.dir;
    const cat = createClass(p.db, 'cat').classId!;
    const dog = createClass(p.db, 'dog').classId!;
    const ids = addImages(p, 20);

    const first = assignClass(p.db, ids.slice(0, 12), cat);
    expect(first).toMatchObject({ changed: 12, unchanged: 0 });
    const second = assignClass(p.db, ids.slice(8, 20), dog);
    expect(second).toMatchObject({ changed: 12, unchanged: 0 });
    expect(assignClass(p.db, ids.slice(8, 10), dog)).toEqual({ actionId: null, changed: 0, unchanged: 2 });
    p.close();

    p = openProject(dir);
    expect(historyState(p.db)).toMatchObject({ canUndo: true, canRedo: false, undoSummary: 'labeled 12 images "dog"' });
    expect(undo(p.db)?.summary).toBe('labeled 12 images "dog"');
    expect(ids.slice(0, 12).every((id) => classOf(p, id) === cat)).toBe(true);
    expect(ids.slice(12).every((id) => classOf(p, id) === null)).toBe(true);
    p.close();

    p = openProject(dir);
    expect(historyState(p.db)).toMatchObject({ canUndo: true, canRedo: true, redoSummary: 'labeled 12 images "dog"' });
    expect(redo(p.db)?.id).toBe(second.actionId);
    expect(ids.slice(8).every((id) => classOf(p, id) === dog)).toBe(true);
    expect(redo(p.db)).toBeNull();
    p.close();
  });

  it('a new action after undo discards the redo branch', () => {
    const p = newProject(tempDir);
    const cat = createClass(p.db, 'cat').classId!;
    const [a, b] = addImages(p, 2);
    assignClass(p.db, [a!], cat);
    assignClass(p.db, [b!], cat);
    undo(p.db);
    expect(historyState(p.db).canRedo).toBe(true);
    excludeImages(p.db, [a!], 'out of focus');
    expect(historyState(p.db)).toMatchObject({ canRedo: false, undoSummary: 'excluded 1 image (out of focus)' });
    expect(new HistoryRepo(p.db).list(10).map((e) => e.kind)).toEqual(['exclude', 'assign', 'class-create']);
    expect(classOf(p, b!)).toBeNull();
    p.close();
  });

  it('undoes and redoes exclude and include with their reasons', () => {
    const p = newProject(tempDir);
    const [a] = addImages(p, 1);
    excludeImages(p.db, [a!], 'a screenshot, not a photo');
    includeImages(p.db, [a!]);
    expect(statusOf(p, a!)).toEqual({ status: 'ok', reason: null });
    undo(p.db);
    expect(statusOf(p, a!)).toEqual({ status: 'excluded', reason: 'a screenshot, not a photo' });
    undo(p.db);
    expect(statusOf(p, a!)).toEqual({ status: 'ok', reason: null });
    redo(p.db);
    expect(statusOf(p, a!).status).toBe('excluded');
    p.close();
  });

  it('refuses unknown images and classes, changing nothing', () => {
    const p = newProject(tempDir);
    const [a] = addImages(p, 1);
    expect(() => assignClass(p.db, [a!, 999_999], null)).toThrow(/no image #999999/);
    expect(() => assignClass(p.db, [a!], 12345)).toThrow(/no class #12345/);
    expect(historyState(p.db).canUndo).toBe(false);
    p.close();
  });

  it('creates, renames, merges and deletes classes, each undoable', () => {
    const p = newProject(tempDir);
    const cat = createClass(p.db, '  cat ').classId!;
    const kitten = createClass(p.db, 'kitten').classId!;
    const dog = createClass(p.db, 'dog').classId!;
    const ids = addImages(p, 9);
    assignClass(p.db, ids.slice(0, 3), cat);
    assignClass(p.db, ids.slice(3, 6), kitten);
    assignClass(p.db, ids.slice(6, 9), dog);

    expect(() => createClass(p.db, 'Cat')).toThrow(/a class named "cat" already exists/);
    expect(() => renameClass(p.db, dog, 'KITTEN')).toThrow(/already exists/);
    expect(() => createClass(p.db, '   ')).toThrow(/cannot be empty/);
    expect(() => mergeClasses(p.db, cat, cat)).toThrow(/into itself/);

    renameClass(p.db, dog, 'puppy');
    const merged = mergeClasses(p.db, kitten, cat);
    expect(merged.movedImages).toBe(3);
    expect(classNames(p)).toEqual(['cat:6', 'puppy:3']);
    const deleted = deleteClass(p.db, cat, null);
    expect(deleted.movedImages).toBe(6);
    expect(classNames(p)).toEqual(['puppy:3']);
    expect(ids.slice(0, 6).every((id) => classOf(p, id) === null)).toBe(true);

    undo(p.db); // delete
    expect(classNames(p)).toEqual(['cat:6', 'puppy:3']);
    undo(p.db); // merge
    expect(classNames(p)).toEqual(['cat:3', 'kitten:3', 'puppy:3']);
    expect(ids.slice(3, 6).every((id) => classOf(p, id) === kitten)).toBe(true);
    undo(p.db); // rename
    expect(classNames(p)).toEqual(['cat:3', 'kitten:3', 'dog:3']);
    redo(p.db);
    redo(p.db);
    redo(p.db);
    expect(classNames(p)).toEqual(['puppy:3']);

    // Deleting into another class moves the images there.
    undo(p.db);
    deleteClass(p.db, cat, dog);
    expect(classNames(p)).toEqual(['puppy:9']);
    expect(() => deleteClass(p.db, dog, dog)).toThrow(/cannot stay/);
    p.close();
  });

  it('brings a deleted class back under a new id when an import took its id meanwhile', () => {
    const p = newProject(tempDir);
    const cat = createClass(p.db, 'cat').classId!;
    const ids = addImages(p, 2);
    assignClass(p.db, ids, cat);
    deleteClass(p.db, cat, null);
    // An import creates a class outside the history; SQLite may hand it the freed id.
    p.db.prepare('INSERT INTO classes (id, name, position) VALUES (?, ?, 0)').run(cat, 'bird');
    undo(p.db);
    const back = p.classes.byName('cat')!;
    expect(back.id).not.toBe(cat);
    expect(ids.every((id) => classOf(p, id) === back.id)).toBe(true);
    expect(p.classes.byName('bird')!.id).toBe(cat);
    // Older history now means the restored class: undoing the labels leaves "bird" alone.
    undo(p.db);
    expect(ids.every((id) => classOf(p, id) === null)).toBe(true);
    redo(p.db);
    expect(ids.every((id) => classOf(p, id) === back.id)).toBe(true);
    p.close();
  });

  it('refuses to undo when a class of the same name exists again, and changes nothing', () => {
    const p = newProject(tempDir);
    const cat = createClass(p.db, 'cat').classId!;
    deleteClass(p.db, cat, null);
    p.classes.ensure('cat');
    expect(() => undo(p.db)).toThrow(/a class named "cat" exists again/);
    expect(historyState(p.db).canUndo).toBe(true);
    expect(classNames(p)).toEqual(['cat:0']);
    p.close();
  });

  it(`keeps the newest ${HISTORY_LIMIT} actions`, () => {
    const p = newProject(tempDir);
    const [a] = addImages(p, 1);
    const cat = createClass(p.db, 'cat').classId!;
    p.db.transaction(() => {
      for (let i = 0; i < HISTORY_LIMIT + 5; i++) assignClass(p.db, [a!], i % 2 === 0 ? cat : null);
    })();
    expect((p.db.prepare('SELECT count(*) AS n FROM label_actions').get() as { n: number }).n).toBe(HISTORY_LIMIT);
    p.close();
  });
});
