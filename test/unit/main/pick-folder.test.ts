import { describe, expect, it } from 'vitest';
import { createPickFolder, DEFAULT_PICK_TITLE, type FolderDialogOptions } from '../../../electron/main/dialogs/pick-folder.js';

describe('createPickFolder', () => {
  it('opens a folder dialog and returns the chosen path', async () => {
    const seen: FolderDialogOptions[] = [];
    const pick = createPickFolder(async (options) => {
      seen.push(options);
      return { canceled: false, filePaths: ['/home/ana/beetles'] };
    });
    expect(await pick({ title: 'Choose the images' })).toEqual({ path: '/home/ana/beetles' });
    expect(seen[0]!.title).toBe('Choose the images');
    expect(seen[0]!.properties).toContain('openDirectory');
    expect(seen[0]!.properties).not.toContain('openFile');
    expect(seen[0]!.properties).not.toContain('multiSelections');
  });

  it('returns null when cancelled or empty, with a default title', async () => {
    let title = '';
    const cancelled = createPickFolder(async (o) => ((title = o.title), { canceled: true, filePaths: ['/ignored'] }));
    expect(await cancelled({})).toEqual({ path: null });
    expect(title).toBe(DEFAULT_PICK_TITLE);
    const empty = createPickFolder(async () => ({ canceled: false, filePaths: [] }));
    expect(await empty({})).toEqual({ path: null });
  });
});
