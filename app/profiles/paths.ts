// Where the desktop app keeps its settings and, by default, its archives — computed here so that the app and the
// CLI (`--profile NAME`) agree. It is the folder Electron calls userData for an app named "TIM Group Backup";
// the main process sets Electron's userData to it, so there is one definition. TIM_DATA_DIR overrides it (tests,
// portable installs).

import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const APP_FOLDER_NAME = 'TIM Group Backup';

export function dataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  // Relative to where it was started, made absolute once: Electron's setPath refuses a relative path.
  if (env.TIM_DATA_DIR) return resolve(env.TIM_DATA_DIR);
  switch (platform) {
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME);
    case 'darwin':
      return join(home, 'Library', 'Application Support', APP_FOLDER_NAME);
    default:
      return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_FOLDER_NAME);
  }
}

export function settingsFile(dir: string): string {
  return join(dir, 'profiles.json');
}

export function archivesDir(dir: string): string {
  return join(dir, 'archives');
}
