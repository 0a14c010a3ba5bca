// The desktop shell wired to (stubbed) Electron and the real worker: the tray icon and its menu ("Back up now",
// open, start at login, quit), closing the window into the tray, notifications in the app's language stating the
// archive's own verdicts, the language setting, "Open" for a finished export, a backup paused by sleep and
// continued on wake, and a start at login with no window.
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupNotice, type StreamVerdict } from '../../app/desktop/notices';
import { AUTOSTART_FILE, HIDDEN_ARG } from '../../app/desktop/login-item';
import { PREFERENCES_FILE } from '../../app/desktop/preferences';
import { desktopWords } from '../../app/desktop/words';
import { type RunningApp, startApp } from '../../app/electron/app';
import { APP_URL } from '../../app/electron/security';
import { channel, type Events, type GroupEntry, type ProfileOverview } from '../../app/ipc/contract';
import { systemClock } from '../../app/schedule/clock';
import { FakeWindow, invokeEvent, type MenuItemLike, preventable, type Stub, stubElectron } from './stub';

let dir: string;
let stub: Stub;
let running: RunningApp;
let win: FakeWindow;

const paths = () => ({ rendererDir: join(dir, 'renderer'), preload: join(dir, 'preload.cjs'), worker: new URL('../../app/worker/host.ts', import.meta.url), typescript: true, trayIcon: join(dir, 'tray.png') });
const env = () => ({ TIM_DATA_DIR: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tim-shell-'));
  await mkdir(join(dir, 'renderer'));
  await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>TIM Group Backup</title>');
  stub = stubElectron();
  running = startApp(stub.electron, paths(), { env: env(), platform: 'linux', argv: ['tim-group-backup'] })!;
  stub.app.ready();
  await until(() => FakeWindow.created.length > 0 && stub.trays.length > 0);
  win = FakeWindow.created[0]!;
});
afterAll(async () => {
  await running.worker.shutdown();
  await rm(dir, { recursive: true, force: true });
});

const call = (op: string, arg?: unknown) => {
  const handler = stub.handlers.get(channel.operation(op as never))!;
  return handler(invokeEvent(APP_URL, win.webContents.id), ...(arg === undefined ? [] : [arg])) as Promise<{ ok: boolean; value?: unknown; error?: { kind: string; message: string } }>;
};

const tray = () => stub.trays[0]!;
const labels = (items: MenuItemLike[]) => items.map((i) => i.label ?? i.type);
const item = (label: string) => tray().menu.find((i) => i.label === label) ?? (() => { throw new Error(`no tray item "${label}" in ${JSON.stringify(labels(tray().menu))}`); })();
const events = <K extends keyof Events>(name: K) => win.webContents.sent.filter((m) => m.channel === channel.event(name)).map((m) => m.payload as Events[K]);

describe('the tray', () => {
  it('has an icon from the app’s own image and a menu in the system’s language (zh-CN here)', async () => {
    expect(tray().icon).toEqual({ path: join(dir, 'tray.png'), width: 24 });
    await running.refreshTray();
    const zh = desktopWords('zh-CN').tray;
    expect(labels(tray().menu)).toEqual([zh.idle, 'separator', zh.noProfiles, zh.open, zh.startAtLogin, 'separator', zh.quit]);
  });

});

describe('the computer sleeping', () => {
  it('pauses a running backup (saved, run recorded) and continues it on wake', async () => {
    // The demo's first backup of a group: long enough to be under way when the computer sleeps.
    expect((await call('startDemo')).ok).toBe(true);
    // A new profile is in the tray's menu at once.
    await until(() => labels(tray().menu).includes(desktopWords('zh-CN').tray.backUpNow));
    const r = await call('startBackup', { profile: 'Demo', groups: [{ groupId: '@TGS#2DEMO0CN1' }] });
    const { backupId } = r.value as { backupId: string };
    await until(() => events('backupProgress').some((e) => e.backupId === backupId));
    const told = stub.notifications.length;
    stub.powerMonitor.emit('suspend');
    await until(() => events('backupDone').some((e) => e.backupId === backupId));
    const paused = events('backupDone').find((e) => e.backupId === backupId)!;
    stub.powerMonitor.emit('resume');
    expect(paused.summary.outcome).toBe('cancelled');
    await until(() => events('backupDone').length >= 2, 60_000);
    const resumed = events('backupDone').at(-1)!;
    expect(resumed.backupId).not.toBe(backupId);
    // The new one covers the same group, to its end; the pause was not told as a stopped backup, the wake was.
    expect(resumed.summary.groups.map((g) => g.groupId)).toEqual(['@TGS#2DEMO0CN1']);
    expect(resumed.summary.outcome).not.toBe('cancelled');
    await until(() => stub.notifications.length >= told + 2);
    expect(stub.notifications[told]).toEqual({ title: desktopWords('zh-CN').notice.resumedTitle, body: desktopWords('zh-CN').notice.resumed('Demo') });
    expect(stub.notifications.map((n) => n.title)).not.toContain(desktopWords('zh-CN').notice.cancelledTitle);
    // Both are in the run history: the paused one as stopped, saved.
    const history = (await call('runHistory', { profile: 'Demo', limit: 2 })).value as { outcome: string; trigger?: string }[];
    expect(history.map((h) => [h.outcome, h.trigger])).toEqual([[resumed.summary.outcome, 'manual'], ['cancelled', 'manual']]);
  });
});

describe('the tray menu', () => {
  it('"Back up now" runs a backup; its end is told with the archive’s verdicts, in the app’s language', async () => {
    await running.refreshTray();
    const zh = desktopWords('zh-CN');
    const [doneBefore, toldBefore] = [events('backupDone').length, stub.notifications.length];
    item(zh.tray.backUpNow).click!({ checked: false });
    await until(() => events('backupDone').length === doneBefore + 1 && stub.notifications.length === toldBefore + 1, 60_000);
    const done = events('backupDone').at(-1)!;
    // Exactly what app/desktop says of the archive as the worker reads it now (app/coverage's verdicts).
    const groups = (await call('listGroups', { profile: 'Demo', source: 'archive' })).value as GroupEntry[];
    const overview = (await call('overview', { profile: 'Demo' })).value as ProfileOverview;
    const streams: StreamVerdict[] = groups.flatMap((g) => (g.archive ? [{ groupId: g.groupId, ...(g.topicId ? { topicId: g.topicId } : {}), ...(g.name !== undefined ? { name: g.name } : {}), completeness: g.archive.completeness }] : []));
    const expected = backupNotice({ done, streams, groups: overview.groups, lang: 'zh-CN', timeZone: systemClock.timeZone() });
    expect(stub.notifications.at(-1)).toEqual({ title: expected.title, body: expected.body });
    expect(expected.body.startsWith('Demo：新增')).toBe(true);
    await running.refreshTray();
    expect(tray().menu[1]!.label).toMatch(/^Demo：上次备份于 /u);
  });

  it('a click on a notification opens the window on the screen that explains it, also after the window was closed', async () => {
    const done = events('backupDone').at(-1)!;
    expect(done.summary.runId).toEqual(expect.any(Number));
    const groups = (await call('listGroups', { profile: 'Demo', source: 'archive' })).value as GroupEntry[];
    const overview = (await call('overview', { profile: 'Demo' })).value as ProfileOverview;
    const streams: StreamVerdict[] = groups.flatMap((g) => (g.archive ? [{ groupId: g.groupId, ...(g.topicId ? { topicId: g.topicId } : {}), ...(g.name !== undefined ? { name: g.name } : {}), completeness: g.archive.completeness }] : []));
    const { target } = backupNotice({ done, streams, groups: overview.groups, lang: 'zh-CN', timeZone: systemClock.timeZone() });
    // That backup's end: its run in the history (or its incomplete groups' Coverage, or the Overview for a deadline).
    if (target.screen === 'history') expect(target.runId).toBe(done.summary.runId);
    const told = stub.notifications.length - 1;
    const navigations = (w: FakeWindow) => w.webContents.sent.filter((m) => m.channel === channel.event('navigate')).map((m) => m.payload);
    win.hide();
    stub.clickNotification(told);
    expect(win.isVisible()).toBe(true);
    expect(navigations(win)).toEqual([target]);
    // Closed for good: the click opens a new window, which is told once its page has loaded.
    win.emit('closed');
    const windows = FakeWindow.created.length;
    stub.clickNotification(told);
    expect(FakeWindow.created).toHaveLength(windows + 1);
    const opened = FakeWindow.created.at(-1)!;
    await until(() => navigations(opened).length > 0);
    expect(navigations(opened)).toEqual([target]);
    // The old window heard nothing more.
    expect(navigations(win)).toHaveLength(1);
    win = opened;
  });

  it('speaks the language the window chose, and keeps it (saved for the next start)', async () => {
    expect(await call('setLanguage', { lang: 'en' })).toEqual({ ok: true });
    expect(labels(tray().menu)).toContain('Back Up Now');
    expect(stub.menu!.map((m) => m.label)).toContain('Help');
    expect(JSON.parse(await readFile(join(dir, 'data', PREFERENCES_FILE), 'utf8'))).toMatchObject({ lang: 'en' });
    expect(await call('setLanguage', { lang: 'fr' })).toMatchObject({ ok: false, error: { kind: 'invalid-argument' } });
  });

  it('turns a profile’s notifications off and on (kept in the preferences)', async () => {
    const demo = () => item('Notifications').submenu!.find((i) => i.label === 'Demo')!;
    expect(demo().checked).toBe(true);
    demo().click!({ checked: false });
    await until(() => demo().checked === false);
    expect(JSON.parse(await readFile(join(dir, 'data', PREFERENCES_FILE), 'utf8'))).toMatchObject({ quietProfiles: ['Demo'] });
    demo().click!({ checked: true });
    await until(() => demo().checked === true);
    expect(JSON.parse(await readFile(join(dir, 'data', PREFERENCES_FILE), 'utf8'))).toMatchObject({ quietProfiles: [] });
  });

  it('turns starting at login on and off (the XDG autostart entry, hidden)', async () => {
    const file = join(dir, 'config', 'autostart', AUTOSTART_FILE);
    item('Start at Login (in the Tray)').click!({ checked: true });
    await until(() => item('Start at Login (in the Tray)').checked === true);
    expect(await readFile(file, 'utf8')).toContain(` ${HIDDEN_ARG}\n`);
    item('Start at Login (in the Tray)').click!({ checked: false });
    await until(() => item('Start at Login (in the Tray)').checked === false);
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('closing the window hides it into the tray (explained the first time only); "Open" brings it back', async () => {
    const before = stub.notifications.length;
    const first = preventable();
    win.emit('close', first);
    expect(first.prevented).toBe(true);
    expect(win.isVisible()).toBe(false);
    expect(stub.notifications.slice(before)).toEqual([desktopWords('en').keepsRunning]);
    win.show();
    const second = preventable();
    win.emit('close', second);
    expect(second.prevented).toBe(true);
    expect(stub.notifications).toHaveLength(before + 1);
    // Nothing was asked: closing is not quitting, a backup would go on.
    expect(stub.dialogs).toEqual([]);
    item('Open TIM Group Backup').click!({ checked: false });
    expect(win.isVisible()).toBe(true);
    // A click on a notification opens the window too.
    win.hide();
    stub.clickNotification(before);
    expect(win.isVisible()).toBe(true);
    // macOS: the Dock icon's click too.
    win.hide();
    stub.app.emit('activate');
    expect(win.isVisible()).toBe(true);
    // All windows closed does not quit the app that lives in the tray.
    stub.app.emit('window-all-closed');
    expect(stub.app.quitCalls).toBe(0);
  });
});

describe('"Open" after an export', () => {
  it('opens what the app exported, and nothing else', async () => {
    stub.folderAnswers.push(join(dir, 'transcripts'));
    const chosen = await call('chooseFolder', { title: 'Export to', kind: 'folder' });
    const started = await call('export', { profile: 'Demo', format: 'html', out: chosen.value, filter: {}, lang: 'en' });
    const { exportId } = started.value as { exportId: string };
    await until(() => events('exportDone').some((e) => e.exportId === exportId));
    const done = events('exportDone').find((e) => e.exportId === exportId)!;
    const path = (done.result as { ok: true; value: { path: string } }).value.path;
    expect(path.endsWith('index.html')).toBe(true);
    expect(await call('openPath', { path })).toEqual({ ok: true });
    expect(stub.openedPaths.at(-1)).toBe(path);
    for (const other of [join(dir, 'elsewhere.html'), '/etc/passwd']) {
      expect(await call('openPath', { path: other })).toMatchObject({ ok: false, error: { kind: 'invalid-argument' } });
    }
    expect(await call('openPath', { path: 'index.html' })).toMatchObject({ ok: false, error: { kind: 'invalid-argument' } });
    expect(stub.openedPaths).toEqual([path]);
  });
});

describe('started at login', () => {
  it('shows only the tray icon; its click opens the window', async () => {
    const hiddenStub = stubElectron();
    const app = startApp(hiddenStub.electron, paths(), { env: { ...env(), TIM_DATA_DIR: join(dir, 'data-hidden') }, platform: 'linux', argv: ['tim-group-backup', HIDDEN_ARG] })!;
    try {
      hiddenStub.app.ready();
      await until(() => hiddenStub.trays.length > 0);
      await new Promise((r) => setTimeout(r, 50));
      expect(FakeWindow.created).toHaveLength(0);
      hiddenStub.trays[0]!.emit('click');
      expect(FakeWindow.created).toHaveLength(1);
    } finally {
      await app.worker.shutdown();
    }
  });
});

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
