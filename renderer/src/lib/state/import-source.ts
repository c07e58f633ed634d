// The three ways to import, as the Import dialog offers them, and the contract's
// ImportSource each one becomes.
import type { ImportSource } from '../../../../electron/api/schemas.js';
import { extensionOf } from '../paths.js';

export type SourceKind = 'classes' | 'unlabeled' | 'csv';

export interface SourceOption {
  kind: SourceKind;
  title: string;
  explanation: string;
  pathLabel: string;
  placeholder: string;
}

export const SOURCE_OPTIONS: readonly SourceOption[] = [
  {
    kind: 'classes',
    title: 'A folder with one sub-folder per class',
    explanation: 'Each sub-folder’s name becomes a class: photos/cat/…, photos/dog/…',
    pathLabel: 'Folder',
    placeholder: '/path/to/photos',
  },
  {
    kind: 'unlabeled',
    title: 'A folder of unlabeled images',
    explanation: 'Every image in the folder (and its sub-folders) comes in without a class; label them later.',
    pathLabel: 'Folder',
    placeholder: '/path/to/photos',
  },
  {
    kind: 'csv',
    title: 'A CSV file (path, label, group)',
    explanation: 'One row per image: its path, its class and, if you have one, a group such as a specimen or session.',
    pathLabel: 'CSV file',
    placeholder: '/path/to/labels.csv',
  },
];

export function sourceOf(kind: SourceKind, path: string): ImportSource {
  const p = path.trim();
  switch (kind) {
    case 'classes':
      return { kind: 'folder', folder: p };
    case 'unlabeled':
      return { kind: 'folder', folder: p, unlabeled: true };
    case 'csv':
      return { kind: 'csv', csv: p };
  }
}

/** The contract's field for a kind's path, to place the server's error under the right input. */
export function pathFieldOf(kind: SourceKind): string {
  return kind === 'csv' ? 'source.csv' : 'source.folder';
}

/** What a dropped path most likely is: a CSV/JSON table, else a folder of class folders. */
export function kindForDroppedPath(path: string, current: SourceKind): SourceKind {
  const ext = extensionOf(path.split(/[\\/]/).at(-1) ?? '');
  if (ext === 'csv' || ext === 'json') return 'csv';
  return current === 'csv' ? 'classes' : current;
}
