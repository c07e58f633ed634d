// The desktop implementation of the contract's dialog.pickFolder: the system's folder
// dialog. Takes a showOpenDialog-like function so main supplies Electron's (with the
// focused window as parent) and a test supplies a fake.
import type { Handlers } from '../../api/contract.js';

export interface FolderDialogOptions {
  title: string;
  properties: Array<'openDirectory' | 'createDirectory' | 'dontAddToRecent'>;
}

export type ShowFolderDialog = (options: FolderDialogOptions) => Promise<{ canceled: boolean; filePaths: string[] }>;

export const DEFAULT_PICK_TITLE = 'Choose a folder';

export function createPickFolder(show: ShowFolderDialog): Handlers['dialog.pickFolder'] {
  return async (request) => {
    const result = await show({
      title: request.title ?? DEFAULT_PICK_TITLE,
      // createDirectory: a new project is usually a new, empty folder (macOS shows the
      // button only when asked).
      properties: ['openDirectory', 'createDirectory', 'dontAddToRecent'],
    });
    const picked = result.canceled ? undefined : result.filePaths[0];
    return { path: picked ?? null };
  };
}
