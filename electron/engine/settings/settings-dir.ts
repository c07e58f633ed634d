// Where app-wide settings live when not running inside Electron: the same folder
// Electron's app.getPath('userData') gives for productName "Holdout", so the CLI and the
// desktop app share their list of recent projects.
import os from 'node:os';
import path from 'node:path';

export function defaultSettingsDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.HOLDOUT_SETTINGS_DIR) return env.HOLDOUT_SETTINGS_DIR;
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'Holdout');
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Holdout');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'Holdout');
}
