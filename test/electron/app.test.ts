// The main process's wiring with Electron stubbed and the real worker behind it: single-instance lock, the app://
// protocol and sandbox registered before ready, permissions denied, navigation and new windows blocked, the
// secure window, one validated handler per operation that refuses foreign senders, events forwarded to the
// window with taskbar progress and a notification, and the quit prompt during a backup with a consistent archive.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Archive, valueOf } from '../../app/archive';
import { type RunningApp, startApp } from '../../app/electron/app';
import { desktopWords } from '../../app/desktop/words';
import { APP_URL, CONTENT_SECURITY_POLICY } from '../../app/electron/security';
import { channel, type Events, OPERATIONS, type Profile } from '../../app/ipc/contract';
import { FakeWebContents, FakeWindow, invokeEvent, preventable, type Stub, stubElectron } from './stub';

let dir: string;
let stub: Stub;
let running: RunningApp;
let win: FakeWindow;

const paths = () => ({ rendererDir: join(dir, 'renderer'), preload: join(dir, 'preload.cjs'), worker: new URL('../../app/worker/host.ts', import.meta.url), typescript: true });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tim-electron-'));
  await mkdir(join(dir, 'renderer'));
  await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>TIM Group Backup</title>');
  stub = stubElectron();
  running = startApp(stub.electron, paths(), { env: { TIM_DATA_DIR: join(dir, 'data') }, platform: 'linux' })!;
  // Registered before the app is ready, as Electron requires; the lock once userData (where it lives) is set.
  expect(stub.calls).toEqual([
    'app.setPath userData ' + join(dir, 'data'),
    'app.requestSingleInstanceLock',
    'app.setAppLogsPath',
    'app.enableSandbox',
    'protocol.registerSchemesAsPrivileged',
  ]);
  stub.app.ready();
  await new Promise((r) => setTimeout(r, 50));
  win = FakeWindow.created[0]!;
});
afterAll(async () => {
  await running.worker.shutdown();
  await rm(dir, { recursive: true, force: true });
});

const call = (op: string, arg?: unknown, event = invokeEvent(APP_URL, win.webContents.id)) => {
  const handler = stub.handlers.get(channel.operation(op as never));
  if (!handler) throw new Error(`no handler for ${op}`);
  return handler(event, ...(arg === undefined ? [] : [arg])) as Promise<{ ok: boolean; value?: unknown; error?: { kind: string; message: string } }>;
};

describe('startup', () => {
  it('a second instance quits at once and opens nothing', () => {
    const second = stubElectron({ lock: false });
    expect(startApp(second.electron, paths(), { env: { TIM_DATA_DIR: join(dir, 'data2') } })).toBeUndefined();
    expect(second.app.quitCalls).toBe(1);
    expect(second.handlers.size).toBe(0);
    expect(FakeWindow.created).toHaveLength(0);
    // (stubElectron reset the created list; put ours back for the tests below)
    FakeWindow.created.push(win);
  });

  it('registers app:// as a standard secure scheme and serves the renderer from it with the CSP', async () => {
    expect(stub.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
      { scheme: 'tim-media', privileges: { standard: true, secure: true, stream: true } },
    ]);
    const res = await stub.protocolHandlers.get('app')!(new Request('app://tim/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await res.text()).toContain('TIM Group Backup');
  });

  it('answers tim-media:// through the worker: a sha256 no archive stored is not found, anything else refused', async () => {
    const media = stub.protocolHandlers.get('tim-media')!;
    expect((await media(new Request(`tim-media://${'a'.repeat(64)}`))).status).toBe(404);
    expect((await media(new Request('tim-media://profiles.json'))).status).toBe(400);
  });

  it('denies every permission request and check', () => {
    const answers: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) stub.permissionRequest!(null, p, (ok) => answers.push(ok));
    expect(answers).toEqual([false, false, false, false, false]);
    expect(stub.permissionCheck!(null, 'media', 'app://tim', {})).toBe(false);
  });

  it('opens one window with the secure options, loading app://tim/index.html', () => {
    expect(FakeWindow.created[0]).toBe(win);
    expect(win.loaded).toBe(APP_URL);
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: true,
      preload: join(dir, 'preload.cjs'),
    });
  });

  it('blocks navigation, redirects, webviews and new windows in every web contents', () => {
    const contents = new FakeWebContents(7);
    stub.app.emit('web-contents-created', {}, contents);
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = preventable();
      contents.emit(event, e, 'https://evil.example/');
      expect(e.prevented, event).toBe(true);
    }
    expect(contents.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });
});

describe('IPC handlers', () => {
  it('exist for every operation of the contract, and only those', () => {
    expect([...stub.handlers.keys()].sort()).toEqual(OPERATIONS.map((op) => channel.operation(op)).sort());
  });

  it('answer the app’s own top-level frame', async () => {
    expect(await call('appInfo')).toMatchObject({ ok: true, value: { version: '9.9.9', locale: 'zh-CN', lang: 'zh-CN', packaged: false, dataDir: join(dir, 'data') } });
    expect(await call('listProfiles')).toEqual({ ok: true, value: [] });
  });

  it('refuse a sub-frame, another origin or scheme, and another web contents — before validating or running anything', async () => {
    const refusals = [
      invokeEvent(APP_URL, win.webContents.id, { subFrame: true }),
      invokeEvent('https://evil.example/index.html', win.webContents.id),
      invokeEvent('app://other/index.html', win.webContents.id),
      invokeEvent('file:///etc/passwd', win.webContents.id),
      invokeEvent(APP_URL, win.webContents.id + 1),
      { sender: { id: win.webContents.id }, senderFrame: null },
    ];
    for (const event of refusals) {
      expect(await call('startDemo', undefined, event)).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      expect(await call('openExternal', { url: 'https://example.com/' }, event)).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    }
    expect(stub.opened).toEqual([]);
    expect(await call('listProfiles')).toEqual({ ok: true, value: [] });
  });

  it('refuse invalid arguments with a sentence naming the field', async () => {
    expect(await call('listGroups', { profile: 'x', source: 'everywhere' })).toMatchObject({ ok: false, error: { kind: 'invalid-argument', message: expect.stringContaining('source') } });
    expect(await call('appInfo', { sneaky: true })).toMatchObject({ ok: false, error: { kind: 'invalid-argument' } });
  });

  it('open only https links, through the one helper', async () => {
    for (const url of ['http://example.com/', 'javascript:alert(1)', 'file:///etc/passwd', 'https://user:pw@example.com/']) {
      expect(await call('openExternal', { url })).toMatchObject({ ok: false, error: { kind: 'invalid-argument' } });
    }
    expect(await call('openExternal', { url: 'https://cloud.tencent.com/document/product/269' })).toEqual({ ok: true });
    expect(stub.opened).toEqual(['https://cloud.tencent.com/document/product/269']);
  });

  it('use native dialogs and the shell for folders', async () => {
    expect(await call('chooseFolder', { title: 'Export to', kind: 'folder' })).toEqual({ ok: true, value: '/chosen/folder' });
    expect(await call('chooseFolder', { title: 'Save as', kind: 'file', defaultName: 'all.jsonl' })).toEqual({ ok: true, value: null });
  });

  it('reveal in the file manager only what the app wrote: never a path the page made up, never a UNC path', async () => {
    for (const path of ['/tmp/x.jsonl', '/etc/passwd', '\\\\attacker.example\\share\\x', '//attacker.example/share/x']) {
      expect(await call('showInFolder', { path }), path).toMatchObject({ ok: false, error: { kind: 'invalid-argument' } });
    }
    expect(stub.revealed).toEqual([]);
    expect(await call('showInFolder', { path: join(dir, 'data') })).toEqual({ ok: true });
    expect(stub.revealed).toEqual([join(dir, 'data')]);
  });

  it('export only where the person chose in the native dialog', async () => {
    // A page that names a file itself is refused before the worker sees the call (a file export replaces what is there).
    const named = join(dir, 'named-by-the-page.csv');
    expect(await call('export', { profile: 'Nobody', format: 'csv', out: named, filter: {}, lang: 'en' })).toMatchObject({
      ok: false,
      error: { kind: 'invalid-argument', message: expect.stringContaining('Choose where to export') },
    });
    // What the dialog answered goes through to the worker (which knows no profile "Nobody").
    const chosen = await call('chooseFolder', { title: 'Export to', kind: 'folder' });
    expect(await call('export', { profile: 'Nobody', format: 'html', out: chosen.value, filter: {}, lang: 'en' })).toMatchObject({ ok: false, error: { kind: 'not-found' } });
  });
});

describe('backups seen from the main process', () => {
  let demo: Profile;

  it('forwards the worker’s events to the window, shows taskbar progress and notifies when done', async () => {
    const started = await call('startDemo');
    demo = started.value as Profile;
    const r = await call('startBackup', { profile: 'Demo', groups: [{ groupId: 'team-english' }] });
    expect(r.ok).toBe(true);
    const { backupId } = r.value as { backupId: string };
    await until(() => win.webContents.sent.some((m) => m.channel === channel.event('backupDone')));
    const progress = win.webContents.sent.filter((m) => m.channel === channel.event('backupProgress'));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((m) => (m.payload as { backupId: string }).backupId === backupId)).toBe(true);
    const during = win.progress.slice(0, -1);
    expect(during.length).toBeGreaterThan(0);
    for (const p of during) expect(p === 2 || (p >= 0 && p <= 1)).toBe(true);
    expect(win.progress.at(-1)).toBe(-1);
    // The window was not focused: a notification says how it went, in the app's language (the stub's system locale
    // is zh-CN), with the archive's own verdict of the group.
    await until(() => stub.notifications.length > 0);
    expect(stub.notifications).toEqual([{ title: desktopWords('zh-CN').notice.doneTitle, body: expect.stringContaining('Demo：新增') }]);
    expect(await readFile(running.log.file, 'utf8')).toContain('info backup of "Demo" ended: ok');
  });

  it('reveals a finished export in the file manager', async () => {
    const exportTo = async (folder: string) => {
      stub.folderAnswers.push(folder);
      const chosen = await call('chooseFolder', { title: 'Export to', kind: 'folder' });
      const started = await call('export', { profile: 'Demo', format: 'html', out: chosen.value, filter: {}, lang: 'en' });
      const { exportId } = started.value as { exportId: string };
      await until(() => win.webContents.sent.some((m) => m.channel === channel.event('exportDone') && (m.payload as Events['exportDone']).exportId === exportId));
      const done = win.webContents.sent.find((m) => m.channel === channel.event('exportDone') && (m.payload as Events['exportDone']).exportId === exportId)!.payload as Events['exportDone'];
      expect(done.result.ok).toBe(true);
      return (done.result as { value: { path: string } }).value.path;
    };
    const written = await exportTo(join(dir, 'transcripts'));
    expect(await call('showInFolder', { path: written })).toEqual({ ok: true });
    expect(stub.revealed.at(-1)).toBe(written);
  });

  it('asks before closing during a backup; keeps running if told so; quits with the archive saved otherwise', async () => {
    const r = await call('startBackup', { profile: 'Demo', groups: [{ groupId: '@TGS#2DEMO0CN1' }] });
    expect(r.ok).toBe(true);
    const { backupId } = r.value as { backupId: string };
    await until(() =>
      win.webContents.sent.some((m) => {
        const e = m.payload as Events['backupProgress'];
        return m.channel === channel.event('backupProgress') && e.backupId === backupId && e.progress.windowsDone > 0;
      }),
    );

    stub.dialogAnswers.push(0);
    const keep = preventable();
    win.emit('close', keep);
    expect(keep.prevented).toBe(true);
    expect(stub.dialogs.at(-1)).toMatchObject({ type: 'question', message: desktopWords('zh-CN').quitBackup.message, buttons: [desktopWords('zh-CN').quitBackup.keep, desktopWords('zh-CN').quitBackup.quit] });

    stub.dialogAnswers.push(1);
    const close = preventable();
    win.emit('close', close);
    expect(close.prevented).toBe(false);
    const quit = preventable();
    stub.app.emit('before-quit', quit);
    // Held until the worker has cancelled the backup and saved the archive, then quit for real.
    expect(quit.prevented).toBe(true);
    await until(() => stub.app.quitCalls > 0);
    const again = preventable();
    stub.app.emit('before-quit', again);
    expect(again.prevented).toBe(false);
    expect(stub.dialogs).toHaveLength(2);
    expect(stub.errorBoxes).toEqual([]);

    const archive = await Archive.open(demo.archivePath, { readOnly: true });
    try {
      const gid = archive.groups().find((g) => g.groupId === '@TGS#2DEMO0CN1')!.gid;
      expect(archive.coverage(gid).covered.length).toBeGreaterThan(0);
      // The run was closed properly (cancelled), not left 'running' as after a crash.
      expect(valueOf(archive.db, 'SELECT outcome FROM runs ORDER BY run_id DESC LIMIT 1')).toBe('cancelled');
    } finally {
      await archive.close();
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
