// The app's life in the main process, with Electron stubbed: start-up order (data folder, lock, logs, Windows
// app id), quitting with a worker that does not answer (bounded), a launch while quitting, the OS ending the
// session (a blocking, bounded final save that never holds the logout up), a window that fails to load or
// whose renderer dies, the log file, the menu, "Copy diagnostics" and updates from the menu.
import { readFile, mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Archive, valueOf } from '../../app/archive';
import { desktopWords } from '../../app/desktop/words';
import { APP_ID, type RunningApp, startApp, type StartOptions } from '../../app/electron/app';
import { LOG_FILE } from '../../app/electron/log';
import { MENU_LABELS } from '../../app/electron/menu';
import { channel, type Events, type Profile } from '../../app/ipc/contract';
import { FakeWindow, invokeEvent, type MenuItemLike, preventable, type Stub, stubElectron } from './stub';
import { APP_URL } from '../../app/electron/security';
import { UpdaterDouble } from './updater-double';

/** The stub's system locale is zh-CN: main's dialogs speak Chinese. */
const zh = desktopWords('zh-CN');

let dir: string;
const started: RunningApp[] = [];

const stuckWorker = new URL('./fixtures/stuck-worker.mjs', import.meta.url);
const realWorker = new URL('../../app/worker/host.ts', import.meta.url);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tim-lifecycle-'));
  await mkdir(join(dir, 'renderer'));
  await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>TIM Group Backup</title>');
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((r) => r.worker.shutdown(50)));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let nextData = 0;
function start(stub: Stub, opts: StartOptions & { worker?: URL; tray?: boolean } = {}): RunningApp {
  const worker = opts.worker ?? stuckWorker;
  const running = startApp(
    stub.electron,
    { rendererDir: join(dir, 'renderer'), preload: join(dir, 'preload.cjs'), worker, typescript: worker === realWorker, ...(opts.tray ? { trayIcon: join(dir, 'tray.png') } : {}) },
    { platform: 'linux', env: { TIM_DATA_DIR: join(dir, `data-${nextData++}`) }, quitTimeoutMs: 300, sessionEndTimeoutMs: 300, ...opts },
  )!;
  started.push(running);
  return running;
}

async function ready(stub: Stub): Promise<FakeWindow> {
  stub.app.ready();
  await until(() => FakeWindow.created.length > 0);
  return FakeWindow.created.at(-1)!;
}

/** The stuck worker's one event (an export in progress) has reached main. */
const exportSeen = (win: FakeWindow) => until(() => win.webContents.sent.some((m) => m.channel === channel.event('exportProgress')));

function menuItem(menu: MenuItemLike[] | undefined, label: string): MenuItemLike {
  for (const item of menu ?? []) {
    if (item.label === label) return item;
    const inner = item.submenu && menuItem(item.submenu, label);
    if (inner) return inner;
  }
  return undefined as unknown as MenuItemLike;
}

describe('start-up', () => {
  it('makes a relative TIM_DATA_DIR absolute, and takes the single-instance lock for that folder once it is set', () => {
    const stub = stubElectron();
    const cwdRelative = relative(process.cwd(), join(dir, 'relative-data'));
    expect(cwdRelative).not.toMatch(/^\//u);
    start(stub, { env: { TIM_DATA_DIR: cwdRelative } });
    expect(stub.calls.slice(0, 2)).toEqual([`app.setPath userData ${resolve(cwdRelative)}`, 'app.requestSingleInstanceLock']);
  });

  it('gives Windows the installer’s appId for notifications and the taskbar', async () => {
    const stub = stubElectron();
    start(stub, { platform: 'win32' });
    expect(stub.calls).toContain(`app.setAppUserModelId ${APP_ID}`);
    const builderConfig = await readFile(new URL('../../electron-builder.yml', import.meta.url), 'utf8');
    expect(builderConfig).toMatch(new RegExp(`^appId: ${APP_ID.replaceAll('.', '\\.')}$`, 'm'));
  });
});

describe('quitting', () => {
  it('asks about a running export too, and quits within the time limit when the worker does not finish', async () => {
    const stub = stubElectron();
    const running = start(stub);
    await exportSeen(await ready(stub));
    stub.dialogAnswers.push(1);
    const quit = preventable();
    stub.app.emit('before-quit', quit);
    expect(quit.prevented).toBe(true);
    expect(stub.dialogs.at(-1)).toMatchObject({ message: zh.quitExport.message, detail: expect.stringContaining('秒') });
    // The stuck worker never answers: only the time limit can end the wait.
    await until(() => stub.app.quitCalls > 0);
    expect(running.log.recentErrors()).toContainEqual(expect.stringContaining('had not finished saving'));
    const again = preventable();
    stub.app.emit('before-quit', again);
    expect(again.prevented).toBe(false);
  });

  it('does not count an export as running when its end arrived before its answer', async () => {
    const stub = stubElectron();
    start(stub, { worker: new URL('./fixtures/quick-export-worker.mjs', import.meta.url) });
    const win = await ready(stub);
    const call = (op: string, arg?: unknown) => stub.handlers.get(channel.operation(op as never))!(invokeEvent(APP_URL, win.webContents.id), ...(arg === undefined ? [] : [arg])) as Promise<{ ok: boolean; value?: unknown }>;
    const out = (await call('chooseFolder', { title: 'Export to', kind: 'folder' })).value as string;
    expect(await call('export', { profile: 'Work', format: 'html', out, filter: {}, lang: 'en' })).toEqual({ ok: true, value: { exportId: 'quick-export' } });
    const quit = preventable();
    stub.app.emit('before-quit', quit);
    expect(stub.dialogs).toEqual([]);
    await until(() => stub.app.quitCalls > 0, 5_000);
  });

  it('keeps running when told so during an export', async () => {
    const stub = stubElectron();
    start(stub);
    await exportSeen(await ready(stub));
    stub.dialogAnswers.push(0);
    const quit = preventable();
    stub.app.emit('before-quit', quit);
    expect(quit.prevented).toBe(true);
    expect(stub.dialogs.at(-1)).toMatchObject({ message: zh.quitExport.message, detail: expect.stringContaining('秒') });
    await new Promise((r) => setTimeout(r, 500));
    expect(stub.app.quitCalls).toBe(0);
  });

  it('starts again once saved when launched again while quitting; focuses or reopens the window otherwise', async () => {
    const stub = stubElectron();
    start(stub);
    const win = await ready(stub);
    stub.app.emit('second-instance');
    expect(FakeWindow.created).toHaveLength(1);
    win.emit('closed');
    // No window, not quitting (e.g. it was closed while the lock was held): a second launch opens one.
    stub.app.emit('second-instance');
    expect(FakeWindow.created).toHaveLength(2);
    stub.dialogAnswers.push(1);
    stub.app.emit('before-quit', preventable());
    FakeWindow.created[1]!.emit('closed');
    stub.app.emit('second-instance');
    expect(FakeWindow.created).toHaveLength(2);
    await until(() => stub.app.quitCalls > 0, 5_000);
    expect(stub.app.relaunches).toBe(1);
    expect(stub.calls.indexOf('app.relaunch')).toBeLessThan(stub.calls.lastIndexOf('app.quit'));
  });
});

describe('the OS ending the session', () => {
  it('Windows session end: saves every archive before the handler returns, asks nothing, holds nothing up', async () => {
    const stub = stubElectron();
    const running = start(stub, { worker: realWorker, sessionEndTimeoutMs: 10_000 });
    const win = await ready(stub);
    const call = (op: string, arg?: unknown) => stub.handlers.get(channel.operation(op as never))!(invokeEvent(APP_URL, win.webContents.id), ...(arg === undefined ? [] : [arg])) as Promise<{ ok: boolean; value?: unknown }>;
    const demo = (await call('startDemo')).value as Profile;
    const r = await call('startBackup', { profile: 'Demo', groups: [{ groupId: '@TGS#2DEMO0CN1' }] });
    const { backupId } = r.value as { backupId: string };
    await until(() => win.webContents.sent.some((m) => m.channel === channel.event('backupProgress') && (m.payload as Events['backupProgress']).backupId === backupId && (m.payload as Events['backupProgress']).progress.windowsDone > 0));

    win.emit('session-end', preventable());
    // Synchronously saved: the run is recorded as cancelled and the archive is consistent, with no question asked.
    const archive = await Archive.open(demo.archivePath, { readOnly: true });
    try {
      expect(valueOf(archive.db, 'SELECT outcome FROM runs ORDER BY run_id DESC LIMIT 1')).toBe('cancelled');
    } finally {
      await archive.close();
    }
    const quit = preventable();
    stub.app.emit('before-quit', quit);
    expect(quit.prevented).toBe(false);
    expect(stub.dialogs).toEqual([]);
    expect(await readFile(join(running.log.dir, LOG_FILE), 'utf8')).toContain('saved before the session ended');
  });

  it('shutdown or logout (Linux, macOS): a bounded save, then quits without asking, and the quit is not held', async () => {
    const stub = stubElectron();
    start(stub);
    await exportSeen(await ready(stub));
    const shutdown = preventable();
    // Blocking: with the stuck worker it returns only because the save is bounded.
    stub.powerMonitor.emit('shutdown', shutdown);
    expect(shutdown.prevented).toBe(true);
    expect(stub.app.quitCalls).toBe(1);
    // An export runs (the stuck worker says so), yet nothing asks: a question would cancel the logout.
    const quit = preventable();
    stub.app.emit('before-quit', quit);
    expect(quit.prevented).toBe(false);
    expect(stub.dialogs).toEqual([]);
  });
});

describe('the system proxy', () => {
  it('is resolved by Electron for the endpoint an operation reaches, and the worker connects through it', async () => {
    const seen: string[] = [];
    const proxy = http.createServer();
    proxy.on('connect', (req: http.IncomingMessage, socket: Socket) => {
      seen.push(req.url ?? '');
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const stub = stubElectron();
      // What a PAC script answering "use the proxy for this host" gives.
      stub.proxyAnswers['https://im-gateway.corp.example'] = `PROXY 127.0.0.1:${(proxy.address() as AddressInfo).port}; DIRECT`;
      start(stub, { worker: realWorker });
      const win = await ready(stub);
      const profile = { name: 'Corp', endpoint: 'https://im-gateway.corp.example', sdkAppId: 1400000001, admin: 'administrator', rate: 10 };
      void stub.handlers.get(channel.operation('testConnection'))!(invokeEvent(APP_URL, win.webContents.id), { profile, secretKey: 'k'.repeat(32) });
      await until(() => seen.length > 0);
      expect(seen[0]).toBe('im-gateway.corp.example:443');
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });

  it('is resolved for the backups the scheduler and the tray start too, before the window asks for anything', async () => {
    const data = join(dir, 'scheduled-proxy');
    const received = async () =>
      (await readFile(join(data, 'received.jsonl'), 'utf8').catch(() => ''))
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { type: string; op?: string; args?: [{ profile?: string }]; byOrigin?: Record<string, string> });
    const stub = stubElectron();
    stub.proxyAnswers['https://im-gateway.corp.example'] = 'PROXY 127.0.0.1:3128; DIRECT';
    const running = start(stub, { worker: new URL('./fixtures/recording-worker.mjs', import.meta.url), env: { TIM_DATA_DIR: data } });
    stub.app.ready();
    // At launch the scheduler lists the profiles: that is how main learns the endpoint each reaches.
    await untilAsync(async () => (await received()).some((m) => m.op === 'listProfiles'));
    void running.background.backUpNow('Corp').catch(() => {});
    await untilAsync(async () => (await received()).some((m) => m.op === 'startBackup'));
    const messages = await received();
    const startAt = messages.findIndex((m) => m.op === 'startBackup');
    const proxyAt = messages.findIndex((m) => m.type === 'proxy');
    expect(messages[startAt]!.args![0].profile).toBe('Corp');
    expect(proxyAt, 'the system proxy reached the worker').toBeGreaterThanOrEqual(0);
    expect(proxyAt).toBeLessThan(startAt);
    expect(messages[proxyAt]!.byOrigin).toMatchObject({ 'https://im-gateway.corp.example': 'PROXY 127.0.0.1:3128; DIRECT' });
  });
});

describe('a window that fails', () => {
  it('is shown with a choice to reload when its page does not load', async () => {
    const stub = stubElectron();
    const running = start(stub);
    const win = await ready(stub);
    win.webContents.emit('did-fail-load', {}, -3, 'ERR_ABORTED', APP_URL, true);
    win.webContents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', 'app://tim/frame.html', false);
    expect(stub.dialogs).toEqual([]);
    stub.dialogAnswers.push(0);
    win.webContents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', APP_URL, true);
    expect(win.shown).toBe(1);
    expect(stub.dialogs.at(-1)).toMatchObject({ type: 'error', message: zh.recover.loadFailed, buttons: [zh.recover.reload, zh.recover.quit] });
    expect(win.webContents.reloads).toBe(1);
    expect(running.log.recentErrors().at(-1)).toContain('ERR_FILE_NOT_FOUND');
  });

  it('offers to reload or quit when its renderer dies', async () => {
    const stub = stubElectron();
    start(stub);
    const win = await ready(stub);
    win.webContents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    expect(stub.dialogs).toEqual([]);
    stub.dialogAnswers.push(1);
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(stub.dialogs.at(-1)).toMatchObject({ message: zh.recover.crashed });
    expect(stub.app.quitCalls).toBe(1);
  });
});

describe('the menu', () => {
  it('is the app’s own, in the UI language, with About, updates and Copy diagnostics, and no Electron links', async () => {
    const stub = stubElectron();
    start(stub);
    await ready(stub);
    const zh = MENU_LABELS['zh-CN'];
    for (const label of [zh.about, zh.checkForUpdates, zh.autoUpdates, zh.copyDiagnostics, zh.openLogs, zh.edit]) expect(menuItem(stub.menu, label), label).toBeDefined();
    expect(JSON.stringify(stub.menu)).not.toMatch(/electron/iu);
    // Reload and DevTools only in development.
    expect(JSON.stringify(stub.menu)).toContain('toggleDevTools');
    const packaged = stubElectron({ packaged: true });
    start(packaged);
    await ready(packaged);
    expect(JSON.stringify(packaged.menu)).not.toMatch(/toggleDevTools|"reload"/u);
  });

  it('About shows the versions', async () => {
    const stub = stubElectron();
    start(stub);
    await ready(stub);
    menuItem(stub.menu, MENU_LABELS['zh-CN'].about).click!({ checked: false });
    expect(stub.dialogs.at(-1)).toMatchObject({ detail: expect.stringMatching(/Version 9\.9\.9[\s\S]*Node /u) });
  });

  it('Copy diagnostics gives versions, paths and the last errors, never a SecretKey', async () => {
    const secret = 'f'.repeat(24) + '0123456789abcdef'.repeat(2) + 'e'.repeat(8);
    const envSecret = '9'.repeat(64);
    const stub = stubElectron();
    const running = start(stub, { env: { TIM_DATA_DIR: join(dir, 'diag'), TIM_SECRET_KEY: envSecret } });
    const win = await ready(stub);
    // The key passes through main on its way to the worker (which never answers here).
    void stub.handlers.get(channel.operation('setSecretKey'))!(invokeEvent(APP_URL, win.webContents.id), { profile: 'Work', secretKey: secret });
    running.log.error(`testConnection failed: Error: bad key ${secret} at https://console.tim.qq.com/v4/x?usersig=eJyrVkrOz0 (env ${envSecret})`);
    menuItem(stub.menu, MENU_LABELS['zh-CN'].copyDiagnostics).click!({ checked: false });
    const text = stub.clipboard.at(-1)!;
    expect(text).toContain('Version 9.9.9');
    expect(text).toContain(`Data folder: ${join(dir, 'diag')}`);
    expect(text).toContain(`Logs folder: ${join(dir, 'diag', 'logs')}`);
    expect(text).toContain('testConnection failed: Error: bad key [secret]');
    for (const leaked of [secret, envSecret, 'eJyrVkrOz0']) expect(text).not.toContain(leaked);
    const onDisk = await readFile(join(dir, 'diag', 'logs', LOG_FILE), 'utf8');
    for (const leaked of [secret, envSecret, 'eJyrVkrOz0']) expect(onDisk).not.toContain(leaked);
  });

  it('holds a downloaded update while an export runs: no question, no restart', async () => {
    const updater = new UpdaterDouble();
    const stub = stubElectron({ packaged: true });
    start(stub, { updater });
    await exportSeen(await ready(stub));
    updater.downloaded('2.0.0');
    await new Promise((r) => setTimeout(r, 50));
    expect(stub.dialogs).toEqual([]);
    expect(updater.installs).toBe(0);
  });

  it('“Restart now” lets the window close instead of hiding it in the tray: installing closes every window first', async () => {
    const updater = new UpdaterDouble();
    const stub = stubElectron({ packaged: true });
    start(stub, { updater, tray: true, worker: new URL('./fixtures/recording-worker.mjs', import.meta.url) });
    const win = await ready(stub);
    await until(() => stub.trays.length > 0);
    const closed = preventable();
    win.emit('close', closed);
    expect(closed.prevented, 'the tray keeps the app').toBe(true);
    win.show();
    stub.dialogAnswers.push(0);
    updater.downloaded('2.0.0');
    await until(() => updater.installs === 1);
    // Electron's quitAndInstall (macOS) closes every window and installs once none is left; a hidden one stops it.
    const forUpdate = preventable();
    win.emit('close', forUpdate);
    expect(forUpdate.prevented).toBe(false);
  });

  it('checks for updates on demand, and remembers the opt-out of the check at start', async () => {
    const data = join(dir, 'updates');
    const updater = new UpdaterDouble();
    const stub = stubElectron({ packaged: true });
    start(stub, { env: { TIM_DATA_DIR: data }, updater });
    await ready(stub);
    await until(() => updater.checks === 1);
    const auto = menuItem(stub.menu, MENU_LABELS['zh-CN'].autoUpdates);
    expect(auto.checked).toBe(true);
    auto.click!({ checked: false });
    await until(() => menuItem(stub.menu, MENU_LABELS['zh-CN'].autoUpdates).checked === false);
    menuItem(stub.menu, MENU_LABELS['zh-CN'].checkForUpdates).click!({ checked: false });
    await until(() => updater.checks === 2);

    const again = new UpdaterDouble();
    const restarted = stubElectron({ packaged: true });
    start(restarted, { env: { TIM_DATA_DIR: data }, updater: again });
    await ready(restarted);
    await new Promise((r) => setTimeout(r, 50));
    expect(again.checks).toBe(0);
  });
});

async function untilAsync(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
