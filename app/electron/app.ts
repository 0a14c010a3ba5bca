// The main process's wiring, given the Electron module by ./main (the only file that imports it at runtime), so
// tests run all of this under plain Node with a stub. Main is thin glue: the worker does the work; main owns the
// window, its security, the native dialogs and shell, the taskbar progress, notifications and the quit flow.

import type * as Electron from 'electron';
import { parseLang } from '../export/i18n';
import type { Events } from '../ipc/contract';
import { channel } from '../ipc/contract';
import { externalUrl } from '../ipc/external-url';
import { dataDir } from '../profiles/paths';
import { WorkerClient } from '../worker/client';
import { registerHandlers } from './handlers';
import { type MainOperations, Refused, routeOperations } from './operations';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, APP_URL, appProtocolHandler, windowOptions } from './security';

export type ElectronLike = Pick<typeof Electron, 'app' | 'BrowserWindow' | 'ipcMain' | 'protocol' | 'session' | 'dialog' | 'shell' | 'Notification'>;

export interface AppPaths {
  /** The renderer build (index.html and its assets). */
  rendererDir: string;
  /** The bundled preload (CommonJS). */
  preload: string;
  /** The worker's entry; `typescript` when it is app/worker/host.ts run through tsx. */
  worker: URL;
  typescript?: boolean;
}

/** A backup shorter than this ends without an OS notification when the window has focus. */
const NOTIFY_AFTER_MS = 20_000;

export interface RunningApp {
  readonly window: () => Electron.BrowserWindow | undefined;
  readonly worker: WorkerClient;
}

/** Starts the app; undefined when another instance already runs (it is focused instead and this one quits). */
export function startApp(electron: ElectronLike, paths: AppPaths, env: NodeJS.ProcessEnv = process.env): RunningApp | undefined {
  const { app, BrowserWindow, ipcMain, protocol, session, dialog, shell, Notification } = electron;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return undefined;
  }
  // One data folder for the app and the CLI's --profile (app/profiles/paths.ts).
  const data = dataDir(env);
  app.setPath('userData', data);
  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

  const worker = new WorkerClient({ entry: paths.worker, config: { dataDir: data }, typescript: paths.typescript ?? false });
  const log = (line: string) => process.stderr.write(`[tim-group-backup] ${line}\n`);
  let win: Electron.BrowserWindow | undefined;
  const backups = new BackupTracker();
  let quitConfirmed = false;
  /** The worker is being stopped on purpose (quitting), or has been. */
  let stopping = false;
  let shutDown = false;

  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (e) => e.preventDefault());
    contents.on('will-redirect', (e) => e.preventDefault());
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  worker.onEvent((e) => {
    win?.webContents.send(channel.event(e.name), e.payload);
    if (e.name === 'backupProgress') backups.progress(e.payload);
    if (e.name === 'backupDone') notifyDone(e.payload, backups.done(e.payload.backupId));
    win?.setProgressBar(backups.fraction());
  });
  void worker.exit.then((code) => {
    if (stopping) return;
    log(`worker stopped (exit code ${code}): ${worker.crash?.stack ?? 'no error reported'}`);
    dialog.showErrorBox('TIM Group Backup', 'The background worker stopped unexpectedly. Please restart TIM Group Backup; your archive is safe.');
  });

  function notifyDone(done: Events['backupDone'], startedAt: number | undefined): void {
    const long = startedAt !== undefined && Date.now() - startedAt >= NOTIFY_AFTER_MS;
    if (!Notification.isSupported() || (!long && win?.isFocused())) return;
    new Notification(backupNotification(done)).show();
  }

  const mainOps: MainOperations = {
    async chooseFolder({ title, kind, defaultName }) {
      if (kind === 'folder') {
        const r = await (win ? dialog.showOpenDialog(win, { title, properties: ['openDirectory', 'createDirectory'] }) : dialog.showOpenDialog({ title, properties: ['openDirectory', 'createDirectory'] }));
        return r.canceled ? null : (r.filePaths[0] ?? null);
      }
      const opts = { title, ...(defaultName !== undefined ? { defaultPath: defaultName } : {}) };
      const r = await (win ? dialog.showSaveDialog(win, opts) : dialog.showSaveDialog(opts));
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    async showInFolder({ path }) {
      shell.showItemInFolder(path);
    },
    async openExternal({ url }) {
      const safe = externalUrl(url);
      if (!safe) throw new Refused('Only https:// links can be opened from TIM Group Backup.');
      await shell.openExternal(safe);
    },
    async appInfo() {
      const locale = app.getLocale();
      return { version: app.getVersion(), locale, lang: parseLang(locale) ?? 'en', platform: process.platform, packaged: app.isPackaged, dataDir: data };
    },
  };

  const impl = routeOperations(worker, mainOps, { backupStarted: (id) => backups.started(id) });
  registerHandlers(ipcMain, impl, { isAppContents: (id) => win !== undefined && !win.isDestroyed() && win.webContents.id === id, log });

  /** Asks before a running backup is stopped; true when the app may close. */
  function mayClose(): boolean {
    if (quitConfirmed || !backups.running()) return true;
    const question: Electron.MessageBoxSyncOptions = {
      type: 'question',
      buttons: ['Keep backing up', 'Stop the backup and quit'],
      defaultId: 0,
      cancelId: 0,
      title: 'A backup is running',
      message: 'A backup is still running. Quit anyway?',
      detail: 'If you quit, the backup stops after saving everything fetched so far. The next backup continues where it stopped.',
    };
    const choice = win ? dialog.showMessageBoxSync(win, question) : dialog.showMessageBoxSync(question);
    quitConfirmed = choice === 1;
    return quitConfirmed;
  }

  app.on('before-quit', (e) => {
    if (shutDown) return;
    e.preventDefault();
    if (!mayClose()) return;
    // The worker cancels backups (each finishes its run record and commits) and closes every archive first.
    if (stopping) return;
    stopping = true;
    void worker.shutdown().finally(() => {
      shutDown = true;
      app.quit();
    });
  });
  app.on('window-all-closed', () => app.quit());

  void app.whenReady().then(() => {
    const deny = session.defaultSession;
    deny.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    deny.setPermissionCheckHandler(() => false);
    protocol.handle(APP_SCHEME, appProtocolHandler(paths.rendererDir));
    win = new BrowserWindow(windowOptions(paths.preload, app.isPackaged));
    win.once('ready-to-show', () => win?.show());
    win.on('close', (e) => {
      if (!mayClose()) e.preventDefault();
    });
    win.on('closed', () => (win = undefined));
    void win.loadURL(APP_URL);
  });

  return { window: () => win, worker };
}

/** The OS notification at the end of a backup: how it went and, when not well, what to do. */
export function backupNotification({ profile, summary: s }: Events['backupDone']): { title: string; body: string } {
  switch (s.outcome) {
    case 'ok':
      return { title: 'Backup complete', body: `${profile}: ${s.messagesStored} new messages.` };
    case 'partial':
      return { title: 'Backup finished with gaps', body: `${profile}: ${s.messagesStored} new messages. Run it again to fetch what is missing.` };
    case 'cancelled':
      return { title: 'Backup cancelled', body: `${profile}: the next backup continues where this one stopped.` };
    case 'failed':
      return { title: 'Backup failed', body: `${profile}: ${s.error ?? 'open TIM Group Backup to see why.'}` };
  }
}

/** Which backups run, for the quit prompt and the taskbar/dock progress. */
export class BackupTracker {
  private readonly live = new Map<string, { startedAt: number; done: number; total: number }>();
  private readonly finished = new Set<string>();

  started(backupId: string): void {
    if (!this.finished.has(backupId) && !this.live.has(backupId)) this.live.set(backupId, { startedAt: Date.now(), done: 0, total: 0 });
  }

  progress(e: Events['backupProgress']): void {
    this.started(e.backupId);
    const b = this.live.get(e.backupId);
    if (b) Object.assign(b, { done: e.progress.windowsDone + e.progress.windowsFailed, total: e.progress.windowsTotal });
  }

  /** Returns when it started. */
  done(backupId: string): number | undefined {
    const b = this.live.get(backupId);
    this.live.delete(backupId);
    this.finished.add(backupId);
    return b?.startedAt;
  }

  running(): boolean {
    return this.live.size > 0;
  }

  /** For setProgressBar: −1 none, 2 indeterminate (total not known yet), else the share done. */
  fraction(): number {
    if (this.live.size === 0) return -1;
    let done = 0;
    let total = 0;
    for (const b of this.live.values()) {
      done += b.done;
      total += b.total;
    }
    return total === 0 ? 2 : done / total;
  }
}
