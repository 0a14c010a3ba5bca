// The tray menu (status, "Back up now", open, start at login, quit), what closing the window does while the app
// lives in the tray, and the Linux autostart entry that starts the app hidden at login.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTOSTART_FILE, autostartEntry, HIDDEN_ARG, launchedHidden, linuxLoginItem } from '../../app/desktop/login-item';
import { onWindowClose, trayMenu } from '../../app/desktop/tray';

const AT = Date.parse('2026-12-03T06:30:00Z');

describe('the tray menu', () => {
  it('shows what runs and how the last backups went, offers a backup per profile, open, start at login and quit', () => {
    const last = new Map([['Work', { outcome: 'partial' as const, at: AT }], ['Demo', { outcome: 'ok' as const, at: AT }]]);
    const items = trayMenu({ profiles: ['Work', 'Demo'], running: ['Demo'], last, startAtLogin: false, quiet: new Set(['Demo']) }, 'en', 'UTC');
    expect(items.map((i) => i.label ?? i.type)).toEqual(['Backing up Demo…', 'Work: last backup 12/3/26, 6:30 AM, not everything archived', 'separator', 'Back Up Now', 'Open TIM Group Backup', 'Notifications', 'Start at Login (in the Tray)', 'separator', 'Quit TIM Group Backup']);
    expect(items.slice(0, 2).every((i) => i.enabled === false)).toBe(true);
    // One entry per profile; the one backing up cannot be started twice.
    expect(items[3]!.submenu!.map((i) => [i.label, i.enabled, i.action])).toEqual([
      ['Back Up “Work” Now', true, { kind: 'back-up', profile: 'Work' }],
      ['Back Up “Demo” Now', false, { kind: 'back-up', profile: 'Demo' }],
    ]);
    // Notifications per profile: a checkbox each, ticked when on.
    expect(items[5]!.submenu!.map((i) => [i.label, i.type, i.checked, i.action])).toEqual([
      ['Work', 'checkbox', true, { kind: 'notifications', profile: 'Work', on: false }],
      ['Demo', 'checkbox', false, { kind: 'notifications', profile: 'Demo', on: true }],
    ]);
    expect(items[6]).toMatchObject({ type: 'checkbox', checked: false, action: { kind: 'start-at-login', on: true } });
    expect(items.at(-1)!.action).toEqual({ kind: 'quit' });
  });

  it('in Chinese; one profile is one item; no profile, nothing to back up; no login item where the OS has none', () => {
    const one = trayMenu({ profiles: ['产品'], running: [], last: new Map(), startAtLogin: true, quiet: new Set() }, 'zh-CN', 'Asia/Shanghai');
    expect(one.map((i) => i.label ?? i.type)).toEqual(['当前没有进行中的备份', 'separator', '立即备份', '打开 TIM Group Backup', '通知', '登录时启动（在托盘中运行）', 'separator', '退出 TIM Group Backup']);
    expect(one[2]!.action).toEqual({ kind: 'back-up', profile: '产品' });
    expect(one[5]).toMatchObject({ checked: true, action: { on: false } });
    const none = trayMenu({ profiles: [], running: [], last: new Map(), quiet: new Set() }, 'en', 'UTC');
    expect(none.map((i) => i.label ?? i.type)).toEqual(['No backup running', 'separator', 'No profiles yet', 'Open TIM Group Backup', 'separator', 'Quit TIM Group Backup']);
    expect(none[2]!.enabled).toBe(false);
  });
});

describe('closing the window', () => {
  it('hides it while the app has a tray icon (told once), and closes for real when quitting or without a tray', () => {
    expect(onWindowClose({ quitting: false, inTray: true, explained: false })).toEqual({ close: false, explain: true });
    expect(onWindowClose({ quitting: false, inTray: true, explained: true })).toEqual({ close: false, explain: false });
    expect(onWindowClose({ quitting: true, inTray: true, explained: false })).toEqual({ close: true });
    expect(onWindowClose({ quitting: false, inTray: false, explained: false })).toEqual({ close: true });
  });
});

describe('starting at login on Linux', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'tim-autostart-'));
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  it('writes an XDG autostart entry that starts the app hidden, and removes it', async () => {
    const item = linuxLoginItem(home, '/opt/TIM Group Backup/tim-group-backup');
    expect(await item.get()).toBe(false);
    await item.set(true);
    const file = join(home, 'autostart', AUTOSTART_FILE);
    const text = await readFile(file, 'utf8');
    expect(text).toContain(`Exec="/opt/TIM Group Backup/tim-group-backup" ${HIDDEN_ARG}\n`);
    expect(text.startsWith('[Desktop Entry]\nType=Application\n')).toBe(true);
    expect(await item.get()).toBe(true);
    await item.set(false);
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await item.get()).toBe(false);
    // Turning off what is already off is fine.
    await item.set(false);
  });

  it('quotes an executable path as the desktop entry spec asks', () => {
    expect(autostartEntry('/home/me/Apps/TIM.AppImage')).toContain('Exec=/home/me/Apps/TIM.AppImage --hidden\n');
    expect(autostartEntry('/home/me/$weird "dir"/app')).toContain('Exec="/home/me/\\\\$weird \\\\"dir\\\\"/app" --hidden\n');
  });

  it('a start with --hidden, or macOS’s login start, shows the tray icon only', () => {
    expect(launchedHidden(['/opt/app', HIDDEN_ARG], false)).toBe(true);
    expect(launchedHidden(['/opt/app'], true)).toBe(true);
    expect(launchedHidden(['/opt/app'], false)).toBe(false);
  });
});
