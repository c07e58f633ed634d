// What every screen can reach without threading props: the app state, the API client
// and the folder picker. Set once by App.svelte.
import { createContext } from 'svelte';
import type { HoldoutClient } from './api/client.js';
import type { AppState } from './state/app.svelte.js';
import type { FolderPicker } from './state/folder-picker.svelte.js';

export interface AppContext {
  api: HoldoutClient;
  app: AppState;
  picker: FolderPicker;
}

export const [getAppContext, setAppContext] = createContext<AppContext>();
