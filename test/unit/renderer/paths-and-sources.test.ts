import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../electron/api/errors.js';
import { toFieldErrors } from '../../../renderer/src/lib/errors.js';
import {
  baseName,
  breadcrumbs,
  folderOf,
  isImageName,
  isTableName,
  joinPath,
} from '../../../renderer/src/lib/paths.js';
import { filterKey, filterOf } from '../../../renderer/src/lib/state/filter.js';
import { kindForDroppedPath, pathFieldOf, sourceOf } from '../../../renderer/src/lib/state/import-source.js';

describe('paths', () => {
  it('splits POSIX paths into breadcrumbs', () => {
    expect(breadcrumbs('/home/ana/photos')).toEqual([
      { label: '/', path: '/' },
      { label: 'home', path: '/home' },
      { label: 'ana', path: '/home/ana' },
      { label: 'photos', path: '/home/ana/photos' },
    ]);
    expect(breadcrumbs('/')).toEqual([{ label: '/', path: '/' }]);
    expect(breadcrumbs('')).toEqual([]);
  });
  it('splits Windows paths into breadcrumbs', () => {
    expect(breadcrumbs('C:\\Users\\ana')).toEqual([
      { label: 'C:\\', path: 'C:\\' },
      { label: 'Users', path: 'C:\\Users' },
      { label: 'ana', path: 'C:\\Users\\ana' },
    ]);
    expect(breadcrumbs('\\\\nas\\share\\pics').map((c) => c.path)).toEqual(['\\\\nas\\share', '\\\\nas\\share\\pics']);
  });
  it('joins, and takes names and folders apart', () => {
    expect(joinPath('/home/ana', 'cats')).toBe('/home/ana/cats');
    expect(joinPath('/', 'tmp')).toBe('/tmp');
    expect(joinPath('C:\\Users', 'ana')).toBe('C:\\Users\\ana');
    expect(baseName('/home/ana/photos/')).toBe('photos');
    expect(folderOf('/home/ana/cat.jpg')).toBe('/home/ana');
    expect(folderOf('/cat.jpg')).toBe('/');
    expect(folderOf('C:\\cat.jpg')).toBe('C:\\');
    expect(folderOf('cat.jpg')).toBe('');
  });
  it('recognises images and tables by extension', () => {
    expect(isImageName('a.JPG')).toBe(true);
    expect(isImageName('a.heic')).toBe(true);
    expect(isImageName('notes.txt')).toBe(false);
    expect(isImageName('.png')).toBe(false);
    expect(isTableName('labels.csv')).toBe(true);
    expect(isTableName('labels.json')).toBe(true);
  });
});

describe('grid filter', () => {
  it('turns the sidebar choice into the contract filter', () => {
    expect(filterOf({ kind: 'all' }, 'all')).toEqual({});
    expect(filterOf({ kind: 'class', id: 3 }, 'ok')).toEqual({ classId: 3, status: 'ok' });
    expect(filterOf({ kind: 'unlabeled' }, 'excluded')).toEqual({ classId: null, status: 'excluded' });
    // The lockbox: test images only when the toggle asks for them.
    expect(filterOf({ kind: 'all' }, 'all', true)).toEqual({ includeTest: true });
    expect(filterOf({ kind: 'class', id: 3 }, 'ok', false)).toEqual({ classId: 3, status: 'ok' });
  });
  it('gives every filter a distinct, stable key', () => {
    const keys = [
      filterKey({}),
      filterKey({ classId: null }),
      filterKey({ classId: 1 }),
      filterKey({ status: 'ok' }),
      filterKey({ classId: 1, status: 'ok' }),
      filterKey({ includeTest: true }),
      filterKey({ classId: 1, status: 'ok', includeTest: true }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(filterKey({ status: 'ok', classId: 1 })).toBe(filterKey({ classId: 1, status: 'ok' }));
    expect(filterKey({ includeTest: false })).toBe(filterKey({}));
  });
});

describe('import sources', () => {
  it('maps each choice to the contract’s ImportSource', () => {
    expect(sourceOf('classes', ' /p ')).toEqual({ kind: 'folder', folder: '/p' });
    expect(sourceOf('unlabeled', '/p')).toEqual({ kind: 'folder', folder: '/p', unlabeled: true });
    expect(sourceOf('csv', '/l.csv')).toEqual({ kind: 'csv', csv: '/l.csv' });
    expect(pathFieldOf('csv')).toBe('source.csv');
    expect(pathFieldOf('unlabeled')).toBe('source.folder');
  });
  it('guesses what a dropped path is', () => {
    expect(kindForDroppedPath('/x/labels.CSV', 'classes')).toBe('csv');
    expect(kindForDroppedPath('/x/photos', 'unlabeled')).toBe('unlabeled');
    expect(kindForDroppedPath('/x/photos', 'csv')).toBe('classes');
  });
});

describe('toFieldErrors', () => {
  it('puts an error under the field it names', () => {
    const e = new ApiError('conflict', '/p is not empty', 'dir');
    expect(toFieldErrors(e, ['dir', 'name'])).toEqual({ fields: { dir: '/p is not empty' }, general: null });
  });
  it('matches a nested field by its first part, else shows it for the whole form', () => {
    expect(toFieldErrors(new ApiError('invalid_request', 'bad', 'source.folder'), ['source']).fields).toEqual({
      source: 'bad',
    });
    expect(toFieldErrors(new ApiError('internal', 'oops'), ['dir'])).toEqual({ fields: {}, general: 'oops' });
    expect(toFieldErrors(new Error('plain'), ['dir'])).toEqual({ fields: {}, general: 'plain' });
  });
});
