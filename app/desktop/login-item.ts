// Starting at login, hidden in the tray. macOS and Windows keep login items themselves (Electron's
// setLoginItemSettings); Linux desktops start what the XDG autostart folder lists, which Electron does not write,
// so the entry is written here.

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Passed at login: the app starts with its tray icon only, no window. */
export const HIDDEN_ARG = '--hidden';

export interface LoginItem {
  get(): Promise<boolean>;
  set(on: boolean): Promise<void>;
}

/** Electron's app.getLoginItemSettings / setLoginItemSettings, as far as they are used here. */
export interface ElectronLoginItems {
  getLoginItemSettings(options?: { args?: string[] }): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean; openAsHidden?: boolean; args?: string[] }): void;
}

export function electronLoginItem(app: ElectronLoginItems): LoginItem {
  return {
    get: async () => app.getLoginItemSettings({ args: [HIDDEN_ARG] }).openAtLogin,
    // Windows passes args; macOS cannot, and reports wasOpenedAtLogin instead (see launchedHidden).
    set: async (on) => app.setLoginItemSettings({ openAtLogin: on, openAsHidden: true, args: [HIDDEN_ARG] }),
  };
}

export const AUTOSTART_FILE = 'tim-group-backup.desktop';

/**
 * The XDG autostart entry (~/.config/autostart). `exec` is what starts the app: the AppImage's own path when run
 * from one ($APPIMAGE), else the executable.
 */
export function linuxLoginItem(configHome: string, exec: string): LoginItem {
  const file = join(configHome, 'autostart', AUTOSTART_FILE);
  return {
    async get() {
      const text = await readFile(file, 'utf8').catch(() => undefined);
      return text !== undefined && !/^Hidden\s*=\s*true\s*$/mu.test(text);
    },
    async set(on) {
      if (!on) return rm(file, { force: true });
      await mkdir(join(configHome, 'autostart'), { recursive: true });
      await writeFile(file, autostartEntry(exec));
    },
  };
}

export function autostartEntry(exec: string): string {
  return ['[Desktop Entry]', 'Type=Application', 'Name=TIM Group Backup', `Exec=${desktopExecArg(exec)} ${HIDDEN_ARG}`, 'X-GNOME-Autostart-enabled=true', 'Terminal=false', ''].join('\n');
}

/** A path as one argument of a desktop entry's Exec line (the spec's quoting: ", `, $ and \ escaped in quotes). */
function desktopExecArg(path: string): string {
  if (/^[A-Za-z0-9_./-]+$/u.test(path)) return path;
  return `"${path.replace(/["`$\\]/gu, (c) => `\\\\${c}`)}"`;
}

/** The app was started at login: show the tray icon only. */
export function launchedHidden(argv: readonly string[], openedAtLogin: boolean): boolean {
  return argv.includes(HIDDEN_ARG) || openedAtLogin;
}
