// The main process's wiring, given the Electron module by ./main (the only file that imports it at runtime), so
// tests run all of this under plain Node with a stub. Main is thin glue: the worker does the work; main owns the
// window, its security, the native dialogs and shell, the taskbar progress, the menu, the log, updates and the quit
// flow, and hands app/desktop what only Electron has: the tray, the login item, notifications and power events.

import type * as Electron from 'electron';
import { arch, homedir, release } from 'node:os';
import { join } from 'node:path';
import { BackgroundBackups } from '../desktop/background';
import { electronLoginItem, launchedHidden, linuxLoginItem, type LoginItem } from '../desktop/login-item';
import { PreferenceFile } from '../desktop/preferences';
import { onWindowClose, type TrayAction, type TrayItem, trayMenu } from '../desktop/tray';
import { desktopWords } from '../desktop/words';
import { type Lang, parseLang } from '../export/i18n';
import type { Events, NavigateTarget, Profile } from '../ipc/contract';
import { type Clock, systemClock } from '../schedule/clock';
import { channel } from '../ipc/contract';
import { externalUrl } from '../ipc/external-url';
import { dataDir } from '../profiles/paths';
import { mediaFileOps } from '../media/file-ops';
import { MEDIA_SCHEME, MEDIA_SCHEME_PRIVILEGES, mediaProtocolHandler } from '../media/protocol';
import { WorkerClient } from '../worker/client';
import { aboutText, diagnosticsText, type Facts } from './diagnostics';
import { registerHandlers } from './handlers';
import { RotatingLog } from './log';
import { SystemProxy, throughSystemProxy } from './system-proxy';
import { menuTemplate } from './menu';
import { type MainOperations, Refused, routeOperations } from './operations';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, APP_URL, appProtocolHandler, mayReveal, windowOptions } from './security';
import { Updates, type UpdaterLike } from './updates';

export type ElectronLike = Pick<
  typeof Electron,
  'app' | 'BrowserWindow' | 'ipcMain' | 'protocol' | 'session' | 'dialog' | 'shell' | 'Notification' | 'Menu' | 'clipboard' | 'powerMonitor' | 'Tray' | 'nativeImage'
>;

/** electron-builder.yml's appId: Windows groups the taskbar and attributes notifications by it. */
export const APP_ID = 'com.timgroupbackup.desktop';

export interface AppPaths {
  /** The renderer build (index.html and its assets). */
  rendererDir: string;
  /** The bundled preload (CommonJS). */
  preload: string;
  /** The worker's entry; `typescript` when it is app/worker/host.ts run through tsx. */
  worker: URL;
  typescript?: boolean;
  /** The tray icon (a PNG); without one the app has no tray and quits when its window closes. */
  trayIcon?: string;
}
/**
 * The most a quit waits for the worker to save (a backup's run record and final commit, an export's end); then it ends
 * the thread anyway — the archive is crash-safe, a stuck export must not leave an app with no window running.
 */
export const QUIT_TIMEOUT_MS = 15_000;
/** When the OS ends the session it kills us within seconds (Windows ~5 s, systemd's InhibitDelayMaxSec 5 s). */
export const SESSION_END_TIMEOUT_MS = 4_000;

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** electron-updater's autoUpdater (./main); none in tests that do not need it. */
  updater?: UpdaterLike;
  /** Overrides of the time limits, for tests. */
  quitTimeoutMs?: number;
  sessionEndTimeoutMs?: number;
  /** The scheduler's time (tests move it). */
  clock?: Clock;
  /** The command line (`--hidden` at login). */
  argv?: readonly string[];
}

export interface RunningApp {
  readonly window: () => Electron.BrowserWindow | undefined;
  readonly worker: WorkerClient;
  readonly log: RotatingLog;
  readonly updates: Updates | undefined;
  readonly background: BackgroundBackups;
  /** Rebuilds the tray menu; resolves once it is set. */
  readonly refreshTray: () => Promise<void>;
}

/** Starts the app; undefined when another instance already runs (it is focused instead and this one quits). */
export function startApp(electron: ElectronLike, paths: AppPaths, opts: StartOptions = {}): RunningApp | undefined {
  const { app, BrowserWindow, ipcMain, protocol, session, dialog, shell, Notification, Menu, clipboard, powerMonitor, Tray, nativeImage } = electron;
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  // One data folder for the app and the CLI's --profile (app/profiles/paths.ts), always absolute (setPath
  // refuses anything else).
  const data = dataDir(env);
  app.setPath('userData', data);
  // The lock belongs to the userData folder, so it is taken once that is set: two data folders, two instances.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return undefined;
  }
  // macOS: ~/Library/Logs/TIM Group Backup; elsewhere <userData>/logs.
  app.setAppLogsPath();
  const log = new RotatingLog(app.getPath('logs'), { mirror: (line) => process.stderr.write(`[tim-group-backup] ${line}\n`) });
  log.remember(env.TIM_SECRET_KEY);
  if (platform === 'win32') app.setAppUserModelId(APP_ID);
  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES },
    { scheme: MEDIA_SCHEME, privileges: MEDIA_SCHEME_PRIVILEGES },
  ]);

  const prefs = new PreferenceFile(data, (line) => log.error(line));
  /** The window's language setting (setLanguage), else the system's. */
  const uiLang = (): Lang => {
    const choice = prefs.get().lang;
    return choice !== undefined && choice !== 'system' ? choice : (parseLang(app.getLocale()) ?? 'en');
  };
  const words = () => desktopWords(uiLang());
  const clock = opts.clock ?? systemClock;
  const loginItem: LoginItem = platform === 'linux' ? linuxLoginItem(env.XDG_CONFIG_HOME || join(homedir(), '.config'), env.APPIMAGE || process.execPath) : electronLoginItem(app);
  let tray: Electron.Tray | undefined;

  const worker = new WorkerClient({ entry: paths.worker, config: { dataDir: data }, typescript: paths.typescript ?? false });
  let win: Electron.BrowserWindow | undefined;
  let ready = false;
  const backups = new BackupTracker();
  const exports = new Set<string>();
  /** Exports already done: an answer to `export` that arrives after its exportDone must not revive it. */
  const exportsDone = new Set<string>();
  const exportRunning = (id: string) => void (exportsDone.has(id) || exports.add(id));
  /** Files and folders the app itself produced: the only ones the page may have revealed in the file manager. */
  const produced = new Set<string>([data]);
  let quitConfirmed = false;
  /** The worker is being stopped on purpose (quitting), or has been. */
  let stopping = false;
  /** Every archive saved (or the time for it is up): a quit now goes through, asking nothing. */
  let shutDown = false;
  /** Launched again while quitting: start again once saved. */
  let relaunch = false;
  /** "Restart now" for an update: its installer closes the windows, which must not hide into the tray. */
  let installingUpdate = false;

  const updates = opts.updater
    ? new Updates(opts.updater, {
        prefs,
        packaged: app.isPackaged,
        busy: () => backups.running() || exports.size > 0,
        log: (line) => log.info(line),
        words: () => words().updates,
        installing: () => void (installingUpdate = true),
        ui: {
          ask: async (message, detail, buttons) => (await dialog.showMessageBox({ type: 'info', title: words().appName, message, detail, buttons, defaultId: 0, cancelId: buttons.length - 1 })).response,
          tell: (message, detail) => void dialog.showMessageBox({ type: 'info', title: words().appName, message, ...(detail !== undefined ? { detail } : {}), buttons: [words().ok] }),
        },
      })
    : undefined;

  app.on('second-instance', () => {
    if (!win) {
      if (stopping || shutDown) relaunch = true;
      else if (ready) openWindow();
      return;
    }
    showWindow();
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
    if (e.name === 'backupDone') {
      backups.done(e.payload.backupId);
      logDone(`backup of "${e.payload.profile}"`, e.payload.summary.outcome, e.payload.summary.error);
    }
    if (e.name === 'exportProgress') exportRunning(e.payload.exportId);
    if (e.name === 'exportDone') {
      exports.delete(e.payload.exportId);
      exportsDone.add(e.payload.exportId);
      const r = e.payload.result;
      logDone(`export of "${e.payload.profile}"`, r.ok ? 'ok' : 'failed', r.ok ? undefined : `${r.error.kind}: ${r.error.message}`);
      if (e.payload.result.ok) produced.add(e.payload.result.value.path);
    }
    win?.setProgressBar(backups.fraction());
    if (e.name === 'backupDone' || e.name === 'exportDone') void updates?.settled();
  });
  void worker.exit.then((code) => {
    if (stopping) return;
    log.error(`worker stopped (exit code ${code}): ${worker.crash?.stack ?? 'no error reported'}`);
    dialog.showErrorBox(words().appName, words().workerStopped);
  });

  /** What ended how, in the log: "Copy diagnostics" then shows the failures (the worker's messages hold no secret). */
  function logDone(what: string, outcome: string, error: string | undefined): void {
    const line = `${what} ended: ${outcome}${error ? ` (${error})` : ''}`;
    if (outcome === 'failed' || outcome === 'partial') log.error(line);
    else log.info(line);
  }

  /** An OS notification; a click on it shows the window, on the screen that explains it when it has one. */
  function notify(notice: { title: string; body: string; target?: NavigateTarget }): void {
    if (!Notification.isSupported()) return;
    const n = new Notification({ title: notice.title, body: notice.body });
    const target = notice.target;
    n.on('click', () => {
      showWindow();
      if (target) navigate(target);
    });
    n.show();
  }

  /** A window opened for a click waits until its page has loaded (and subscribed) for where to go. */
  let pendingNavigation: NavigateTarget | undefined;
  let loadedWindow: Electron.BrowserWindow | undefined;

  /** Tells our own window, and nothing else, which screen to show. */
  function navigate(target: NavigateTarget): void {
    if (win && !win.isDestroyed() && loadedWindow === win) win.webContents.send(channel.event('navigate'), target);
    else pendingNavigation = target;
  }

  const systemProxy = new SystemProxy({
    resolve: (url) => session.defaultSession.resolveProxy(url),
    send: (byOrigin) => worker.setProxy(byOrigin),
    log: (line) => log.error(line),
  });
  const background = new BackgroundBackups({
    worker: throughSystemProxy(worker, systemProxy),
    clock,
    lang: uiLang,
    notify,
    quiet: (profile) => prefs.get().quietProfiles?.includes(profile) === true,
    watching: () => win !== undefined && !win.isDestroyed() && win.isVisible() && win.isFocused(),
    log: (line) => log.error(line),
    changed: () => void refreshTray(),
  });

  const media = mediaFileOps((sha256) => worker.mediaFile(sha256), {
    async chooseSavePath(defaultName) {
      const r = await (win ? dialog.showSaveDialog(win, { defaultPath: defaultName }) : dialog.showSaveDialog({ defaultPath: defaultName }));
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    reveal: (path) => shell.showItemInFolder(path),
    notStored: () => words().refused.mediaNotStored,
  });

  const mainOps: MainOperations = {
    ...media,
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
      if (!mayReveal(path, produced)) throw new Refused(words().refused.showNotOurs);
      shell.showItemInFolder(path);
    },
    async openPath({ path }) {
      if (!mayReveal(path, produced)) throw new Refused(words().refused.openNotOurs);
      const failed = await shell.openPath(path);
      if (failed) throw new Refused(words().refused.openFailed(failed));
    },
    async setLanguage({ lang }) {
      await prefs.update({ lang });
      setMenu();
      await refreshTray();
    },
    async openExternal({ url }) {
      const safe = externalUrl(url);
      if (!safe) throw new Refused(words().refused.httpsOnly);
      await shell.openExternal(safe);
    },
    async appInfo() {
      const locale = app.getLocale();
      return { version: app.getVersion(), locale, lang: parseLang(locale) ?? 'en', platform, packaged: app.isPackaged, dataDir: data };
    },
  };

  const impl = routeOperations(worker, mainOps, {
    backupStarted: (id) => backups.started(id),
    exportStarted: exportRunning,
    secretSeen: (secret) => log.remember(secret),
    profilesSeen: (profiles: Profile[]) => {
      for (const p of profiles) produced.add(p.archivePath);
      systemProxy.remember(profiles);
    },
    beforeWorker: (op, args) => systemProxy.before(op, args),
    profilesChanged: () => {
      void background.wake();
      void refreshTray();
    },
  });
  registerHandlers(ipcMain, impl, { isAppContents: (id) => win !== undefined && !win.isDestroyed() && win.webContents.id === id, log: (line) => log.error(line) });

  /** Asks before a running backup or export is stopped; true when the app may close. */
  function mayClose(): boolean {
    const backup = backups.running();
    if (quitConfirmed || (!backup && exports.size === 0)) return true;
    const w = words();
    const { title, message, keep, quit } = backup ? w.quitBackup : w.quitExport;
    const detail = backup ? w.quitBackup.detail : w.quitExport.detail((opts.quitTimeoutMs ?? QUIT_TIMEOUT_MS) / 1000);
    const question: Electron.MessageBoxSyncOptions = { type: 'question', buttons: [keep, quit], defaultId: 0, cancelId: 0, title, message, detail };
    const choice = win ? dialog.showMessageBoxSync(win, question) : dialog.showMessageBoxSync(question);
    quitConfirmed = choice === 1;
    return quitConfirmed;
  }

  /**
   * The OS is ending the session and may kill the process as soon as this returns: save now, blocking, within
   * the time the OS allows. No question is asked and nothing is prevented, so a logout or shutdown goes on.
   */
  function endSession(why: string): void {
    if (shutDown) return;
    log.info(`${why}: saving every archive before the session ends`);
    stopping = true;
    const saved = worker.shutdownBlocking(opts.sessionEndTimeoutMs ?? SESSION_END_TIMEOUT_MS);
    shutDown = true;
    if (saved) log.info('saved before the session ended');
    else log.error('the session ended before every archive was saved (the next backup continues from the last commit)');
  }

  app.on('before-quit', (e) => {
    // After the OS ended the session too: endSession saved synchronously before it returned.
    if (shutDown) return;
    e.preventDefault();
    if (stopping || !mayClose()) return;
    // The worker cancels backups (each finishes its run record and commits) and closes every archive first.
    stopping = true;
    background.stop();
    void worker.shutdown(opts.quitTimeoutMs ?? QUIT_TIMEOUT_MS).then((saved) => {
      if (!saved) log.error(`the worker had not finished saving after ${(opts.quitTimeoutMs ?? QUIT_TIMEOUT_MS) / 1000} s; quitting anyway`);
      shutDown = true;
      if (relaunch) app.relaunch();
      app.quit();
    });
  });
  // With a tray icon the app lives on there (scheduled backups); hidden windows do not count as closed.
  app.on('window-all-closed', () => {
    if (!tray) app.quit();
  });
  // macOS: a click on the Dock icon brings back the window closed into the menu bar.
  app.on('activate', () => {
    if (ready) showWindow();
  });

  const facts = (): Facts => ({
    version: app.getVersion(),
    packaged: app.isPackaged,
    versions: process.versions,
    platform,
    arch: arch(),
    osRelease: release(),
    locale: app.getLocale(),
    dataDir: data,
    logsDir: log.dir,
    autoUpdates: updates?.auto ?? false,
  });

  function setMenu(): void {
    const lang = uiLang();
    const template = menuTemplate(
      lang,
      {
        about: () => void dialog.showMessageBox({ type: 'info', title: words().appName, message: words().appName, detail: aboutText(facts()), buttons: [words().ok] }),
        copyDiagnostics: () => clipboard.writeText(diagnosticsText(facts(), log.recentErrors())),
        openLogsFolder: () => void shell.openPath(log.dir),
        checkForUpdates: () => void (updates ? updates.checkNow() : dialog.showMessageBox({ type: 'info', title: words().appName, message: words().updates.onlyInstalled, buttons: [words().ok] })),
        autoUpdates: updates?.auto ?? false,
        setAutoUpdates: (on) => void updates?.setAuto(on).then(setMenu, (err: unknown) => log.error(`the update setting cannot be saved: ${String(err)}`)),
      },
      { platform, packaged: app.isPackaged },
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  }

  function openWindow(): void {
    const w = new BrowserWindow(windowOptions(paths.preload, app.isPackaged));
    win = w;
    w.once('ready-to-show', () => w.show());
    w.on('close', (e) => {
      const action = onWindowClose({ quitting: stopping || shutDown || installingUpdate, inTray: tray !== undefined, explained: prefs.get().trayExplained === true });
      if (!action.close) {
        e.preventDefault();
        w.hide();
        if (action.explain) {
          notify(words().keepsRunning);
          void prefs.update({ trayExplained: true });
        }
        return;
      }
      if (!mayClose()) e.preventDefault();
    });
    w.on('closed', () => {
      if (win === w) win = undefined;
    });
    // Windows log-off, restart or shutdown (Electron emits it on windows, not on the app).
    w.on('session-end', () => endSession('Windows is ending the session'));
    // Without these a failed load or a crashed renderer leaves a window that never shows, or shows nothing.
    w.webContents.on('did-fail-load', (_e, code, description, url, isMainFrame) => {
      // -3 (ERR_ABORTED) is a navigation we blocked ourselves.
      if (!isMainFrame || code === -3) return;
      log.error(`the window failed to load ${url}: ${description} (${code})`);
      recover(w, words().recover.loadFailed);
    });
    w.webContents.on('render-process-gone', (_e, details) => {
      if (details.reason === 'clean-exit') return;
      log.error(`the window's renderer stopped: ${details.reason} (exit code ${details.exitCode})`);
      recover(w, words().recover.crashed);
    });
    void w.loadURL(APP_URL).then(
      () => {
        loadedWindow = w;
        const target = pendingNavigation;
        pendingNavigation = undefined;
        if (target && win === w) navigate(target);
      },
      () => {
        // Reported by did-fail-load.
      },
    );
  }

  /** Shows the broken window and asks: reload it, or quit (backups in the worker are not affected). */
  function recover(w: Electron.BrowserWindow, message: string): void {
    if (w.isDestroyed() || stopping) return;
    w.show();
    const r = words().recover;
    const choice = dialog.showMessageBoxSync(w, { type: 'error', buttons: [r.reload, r.quit], defaultId: 0, cancelId: 1, title: words().appName, message, detail: r.detail });
    if (choice === 0) w.webContents.reload();
    else app.quit();
  }

  void app.whenReady().then(() => {
    ready = true;
    const deny = session.defaultSession;
    deny.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    deny.setPermissionCheckHandler(() => false);
    protocol.handle(APP_SCHEME, appProtocolHandler(paths.rendererDir));
    protocol.handle(MEDIA_SCHEME, mediaProtocolHandler((sha256) => worker.mediaFile(sha256)));
    // Linux and macOS (logout too): delayed while we save, then quit ourselves, as Electron asks.
    powerMonitor.on('shutdown', (e?: { preventDefault(): void }) => {
      e?.preventDefault();
      endSession('the system is shutting down');
      app.quit();
    });
    // The computer sleeping: a running backup stops after saving, and continues on wake; what fell due meanwhile runs then.
    powerMonitor.on('suspend', () => void background.suspend());
    powerMonitor.on('resume', () => void background.resume());
    powerMonitor.on('unlock-screen', () => void background.wake());
    setMenu();
    createTray();
    const openedAtLogin = platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
    if (!tray || !launchedHidden(opts.argv ?? process.argv, openedAtLogin)) openWindow();
    void background.start();
    void updates?.startup();
  });

  function showWindow(): void {
    if (!win || win.isDestroyed()) {
      if (ready && !stopping && !shutDown) openWindow();
      return;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  }

  function createTray(): void {
    if (!paths.trayIcon) return;
    const icon = nativeImage.createFromPath(paths.trayIcon).resize({ width: platform === 'darwin' ? 18 : 24 });
    tray = new Tray(icon);
    tray.setToolTip(words().tray.tooltip);
    // Windows and Linux: a click on the icon opens the window (macOS opens the menu).
    if (platform !== 'darwin') tray.on('click', showWindow);
    void refreshTray();
  }

  async function refreshTray(): Promise<void> {
    if (!tray) return;
    const listed = await worker.call('listProfiles');
    const startAtLogin = await loginItem.get().catch(() => undefined);
    const items = trayMenu(
      {
        profiles: listed.ok ? listed.value.map((p) => p.name) : [],
        running: background.running(),
        last: background.lastBackups(),
        quiet: new Set(prefs.get().quietProfiles),
        ...(startAtLogin !== undefined ? { startAtLogin } : {}),
      },
      uiLang(),
      clock.timeZone(),
    );
    if (tray.isDestroyed()) return;
    tray.setToolTip(words().tray.tooltip);
    tray.setContextMenu(Menu.buildFromTemplate(items.map(menuItem)));
  }

  function menuItem(item: TrayItem): Electron.MenuItemConstructorOptions {
    const action = item.action;
    return {
      ...(item.label !== undefined ? { label: item.label } : {}),
      type: item.type ?? 'normal',
      ...(item.enabled !== undefined ? { enabled: item.enabled } : {}),
      ...(item.checked !== undefined ? { checked: item.checked } : {}),
      ...(item.submenu ? { submenu: item.submenu.map(menuItem) } : {}),
      ...(action ? { click: () => trayAction(action) } : {}),
    };
  }

  function trayAction(action: TrayAction): void {
    switch (action.kind) {
      case 'back-up':
        void background.backUpNow(action.profile);
        return;
      case 'open':
        return showWindow();
      case 'start-at-login':
        void loginItem.set(action.on).then(refreshTray, (err: unknown) => log.error(`starting at login cannot be ${action.on ? 'turned on' : 'turned off'}: ${String(err)}`));
        return;
      case 'notifications': {
        const others = (prefs.get().quietProfiles ?? []).filter((p) => p !== action.profile);
        void prefs.update({ quietProfiles: action.on ? others : [...others, action.profile] }).then(refreshTray, (err: unknown) => log.error(`the notification setting cannot be saved: ${String(err)}`));
        return;
      }
      case 'quit':
        app.quit();
    }
  }

  return { window: () => win, worker, log, updates, background, refreshTray };
}

/** Which backups run, for the quit prompt and the taskbar/dock progress. */
export class BackupTracker {
  private readonly live = new Map<string, { done: number; total: number }>();
  private readonly finished = new Set<string>();

  started(backupId: string): void {
    if (!this.finished.has(backupId) && !this.live.has(backupId)) this.live.set(backupId, { done: 0, total: 0 });
  }

  progress(e: Events['backupProgress']): void {
    this.started(e.backupId);
    const b = this.live.get(e.backupId);
    if (b) Object.assign(b, { done: e.progress.windowsDone + e.progress.windowsFailed, total: e.progress.windowsTotal });
  }

  done(backupId: string): void {
    this.live.delete(backupId);
    this.finished.add(backupId);
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
