// The tray (menu bar on macOS) icon's menu, and what closing the window does while the app lives there. Plain
// data: main turns each item into an Electron MenuItem whose click runs the item's action.

import type { Lang } from '../export/i18n';
import type { LastBackup } from './background';
import { desktopWords } from './words';

export type TrayAction =
  | { kind: 'back-up'; profile: string }
  | { kind: 'open' }
  | { kind: 'start-at-login'; on: boolean }
  | { kind: 'notifications'; profile: string; on: boolean }
  | { kind: 'quit' };

export interface TrayItem {
  label?: string;
  type?: 'normal' | 'separator' | 'checkbox' | 'submenu';
  enabled?: boolean;
  checked?: boolean;
  action?: TrayAction;
  submenu?: TrayItem[];
}

export interface TrayState {
  profiles: readonly string[];
  running: readonly string[];
  last: ReadonlyMap<string, LastBackup>;
  /** Absent where the app cannot start itself at login. */
  startAtLogin?: boolean;
  /** Profiles whose notifications are turned off. */
  quiet: ReadonlySet<string>;
}

export function trayMenu(state: TrayState, lang: Lang, timeZone: string): TrayItem[] {
  const w = desktopWords(lang).tray;
  const when = new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short', timeZone });
  const status: TrayItem[] = [{ label: state.running.length > 0 ? w.running([...state.running]) : w.idle, enabled: false }];
  for (const [profile, last] of state.last) {
    if (!state.running.includes(profile)) status.push({ label: w.lastBackup(profile, when.format(last.at), w.outcome[last.outcome]), enabled: false });
  }
  const backUp = (profile: string): TrayItem => ({ label: w.backUpProfile(profile), enabled: !state.running.includes(profile), action: { kind: 'back-up', profile } });
  const backUpItem: TrayItem =
    state.profiles.length === 0
      ? { label: w.noProfiles, enabled: false }
      : state.profiles.length === 1
        ? { ...backUp(state.profiles[0]!), label: w.backUpNow }
        : { label: w.backUpNow, type: 'submenu', submenu: state.profiles.map(backUp) };
  return [
    ...status,
    { type: 'separator' },
    backUpItem,
    { label: w.open, action: { kind: 'open' } },
    ...(state.profiles.length > 0
      ? [{ label: w.notifications, type: 'submenu' as const, submenu: state.profiles.map((profile): TrayItem => ({ label: profile, type: 'checkbox', checked: !state.quiet.has(profile), action: { kind: 'notifications', profile, on: state.quiet.has(profile) } })) }]
      : []),
    ...(state.startAtLogin !== undefined ? [{ label: w.startAtLogin, type: 'checkbox' as const, checked: state.startAtLogin, action: { kind: 'start-at-login' as const, on: !state.startAtLogin } }] : []),
    { type: 'separator' },
    { label: w.quit, action: { kind: 'quit' } },
  ];
}

export type CloseAction = { close: true } | { close: false; explain: boolean };

/**
 * Closing the window while a tray icon exists hides it: scheduled backups go on. The first time, the person is
 * told where the app went and how to quit. Quitting (from the tray, the menu, the OS) closes for real.
 */
export function onWindowClose(opts: { quitting: boolean; inTray: boolean; explained: boolean }): CloseAction {
  if (opts.quitting || !opts.inTray) return { close: true };
  return { close: false, explain: !opts.explained };
}
