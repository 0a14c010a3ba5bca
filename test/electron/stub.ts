// A stand-in for the parts of Electron the main process uses, recording what the app does with them, so the
// wiring runs under plain Node (where the Electron binary does not exist).
import { EventEmitter } from 'node:events';
import { isAbsolute, join } from 'node:path';
import type { ElectronLike } from '../../app/electron/app';
import type { InvokeEventLike } from '../../app/electron/handlers';

type Listener = (...args: unknown[]) => unknown;

export interface PreventableEvent {
  prevented: boolean;
  preventDefault(): void;
}

export function preventable(): PreventableEvent {
  return {
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
}

export class FakeWebContents extends EventEmitter {
  readonly sent: { channel: string; payload: unknown }[] = [];
  reloads = 0;
  openHandler?: (details: { url: string }) => { action: string };
  constructor(readonly id: number) {
    super();
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  setWindowOpenHandler(h: (details: { url: string }) => { action: string }): void {
    this.openHandler = h;
  }
  reload(): void {
    this.reloads++;
  }
}

export class FakeWindow extends EventEmitter {
  static created: FakeWindow[] = [];
  readonly webContents = new FakeWebContents(100 + FakeWindow.created.length);
  readonly progress: number[] = [];
  loaded?: string;
  focused = false;
  visible = true;
  shown = 0;
  hidden = 0;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeWindow.created.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loaded = url;
    return Promise.resolve();
  }
  setProgressBar(p: number): void {
    this.progress.push(p);
  }
  isFocused(): boolean {
    return this.focused;
  }
  isDestroyed(): boolean {
    return false;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {}
  show(): void {
    this.shown++;
    this.visible = true;
  }
  hide(): void {
    this.hidden++;
    this.visible = false;
  }
  isVisible(): boolean {
    return this.visible;
  }
}

/** The tray icon: its menu as the app last set it, and its click. */
export class FakeTray extends EventEmitter {
  menu: MenuItemLike[] = [];
  tooltip = '';
  constructor(readonly icon: { path: string; width?: number }) {
    super();
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: { template: MenuItemLike[] }): void {
    this.menu = menu.template;
  }
  isDestroyed(): boolean {
    return false;
  }
}

/** What Menu.buildFromTemplate was given, as the stub's "menu". */
export interface MenuItemLike {
  label?: string;
  role?: string;
  type?: string;
  checked?: boolean;
  click?: (item: { checked: boolean }) => void;
  submenu?: MenuItemLike[];
}

export interface Stub {
  electron: ElectronLike;
  calls: string[];
  app: EventEmitter & { quitCalls: number; relaunches: number; ready(): void; packaged: boolean; lock: boolean };
  powerMonitor: EventEmitter;
  handlers: Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>;
  protocolHandlers: Map<string, (req: Request) => Promise<Response>>;
  privileged: unknown[];
  permissionRequest?: (wc: unknown, permission: string, cb: (ok: boolean) => void) => void;
  permissionCheck?: (...args: unknown[]) => boolean;
  dialogAnswers: number[];
  /** What the next folder dialogs answer (then /chosen/folder). */
  folderAnswers: string[];
  dialogs: Record<string, unknown>[];
  errorBoxes: string[];
  opened: string[];
  revealed: string[];
  notifications: { title: string; body: string }[];
  /** Clicks on the notifications shown, by index. */
  clickNotification(index: number): void;
  trays: FakeTray[];
  menu?: MenuItemLike[];
  clipboard: string[];
  openedPaths: string[];
  /** What session.resolveProxy answers per origin (else DIRECT), as the system's settings or a PAC script would. */
  proxyAnswers: Record<string, string>;
}

export function stubElectron(opts: { packaged?: boolean; lock?: boolean } = {}): Stub {
  FakeWindow.created = [];
  const calls: string[] = [];
  const paths = new Map<string, string>();
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  const app = Object.assign(new EventEmitter(), {
    quitCalls: 0,
    relaunches: 0,
    packaged: opts.packaged ?? false,
    lock: opts.lock ?? true,
    ready: () => markReady(),
  });
  const stub: Stub = {
    calls,
    app,
    handlers: new Map(),
    protocolHandlers: new Map(),
    privileged: [],
    dialogAnswers: [],
    folderAnswers: [],
    dialogs: [],
    errorBoxes: [],
    opened: [],
    revealed: [],
    notifications: [],
    clickNotification: (i) => shownNotifications[i]!.emit('click'),
    trays: [],
    clipboard: [],
    openedPaths: [],
    proxyAnswers: {},
    powerMonitor: new EventEmitter(),
    electron: undefined as unknown as ElectronLike,
  };
  const shownNotifications: EventEmitter[] = [];
  const fake = {
    app: {
      on: (event: string, listener: Listener) => app.on(event, listener),
      requestSingleInstanceLock: () => {
        calls.push('app.requestSingleInstanceLock');
        return app.lock;
      },
      quit: () => {
        app.quitCalls++;
        calls.push('app.quit');
      },
      setPath: (name: string, path: string) => {
        // As Electron does.
        if (!isAbsolute(path)) throw new Error('Path must be absolute');
        paths.set(name, path);
        calls.push(`app.setPath ${name} ${path}`);
      },
      getPath: (name: string) => {
        const p = paths.get(name);
        if (!p) throw new Error(`Failed to get '${name}' path`);
        return p;
      },
      setAppLogsPath: () => {
        calls.push('app.setAppLogsPath');
        paths.set('logs', join(paths.get('userData') ?? '/nowhere', 'logs'));
      },
      setAppUserModelId: (id: string) => calls.push(`app.setAppUserModelId ${id}`),
      relaunch: () => {
        app.relaunches++;
        calls.push('app.relaunch');
      },
      enableSandbox: () => calls.push('app.enableSandbox'),
      whenReady: () => ready.then(() => calls.push('ready')),
      getLocale: () => 'zh-CN',
      getVersion: () => '9.9.9',
      get isPackaged() {
        return app.packaged;
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        calls.push('protocol.registerSchemesAsPrivileged');
        stub.privileged.push(...schemes);
      },
      handle: (scheme: string, handler: (req: Request) => Promise<Response>) => {
        calls.push(`protocol.handle ${scheme}`);
        stub.protocolHandlers.set(scheme, handler);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: Stub['permissionRequest']) => (stub.permissionRequest = h),
        setPermissionCheckHandler: (h: Stub['permissionCheck']) => (stub.permissionCheck = h),
        resolveProxy: async (url: string) => stub.proxyAnswers[new URL(url).origin] ?? 'DIRECT',
      },
    },
    ipcMain: {
      handle: (channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>) => stub.handlers.set(channel, listener),
    },
    BrowserWindow: FakeWindow,
    dialog: {
      showMessageBoxSync: (...args: unknown[]) => {
        stub.dialogs.push(args.at(-1) as Record<string, unknown>);
        return stub.dialogAnswers.shift() ?? 0;
      },
      showMessageBox: async (...args: unknown[]) => {
        stub.dialogs.push(args.at(-1) as Record<string, unknown>);
        return { response: stub.dialogAnswers.shift() ?? 0, checkboxChecked: false };
      },
      showErrorBox: (_title: string, text: string) => stub.errorBoxes.push(text),
      showOpenDialog: async () => ({ canceled: false, filePaths: [stub.folderAnswers.shift() ?? '/chosen/folder'] }),
      showSaveDialog: async () => ({ canceled: true, filePath: '' }),
    },
    shell: {
      openExternal: async (url: string) => void stub.opened.push(url),
      showItemInFolder: (path: string) => void stub.revealed.push(path),
      openPath: async (path: string) => {
        stub.openedPaths.push(path);
        return '';
      },
    },
    Menu: {
      buildFromTemplate: (template: MenuItemLike[]) => ({ template }),
      setApplicationMenu: (menu: { template: MenuItemLike[] }) => (stub.menu = menu.template),
    },
    clipboard: { writeText: (text: string) => void stub.clipboard.push(text) },
    powerMonitor: stub.powerMonitor,
    Notification: class extends EventEmitter {
      static isSupported = () => true;
      constructor(private readonly o: { title: string; body: string }) {
        super();
      }
      show() {
        stub.notifications.push(this.o);
        shownNotifications.push(this);
      }
    },
    Tray: class extends FakeTray {
      constructor(icon: { path: string; width?: number }) {
        super(icon);
        stub.trays.push(this);
      }
    },
    nativeImage: {
      createFromPath: (path: string) => ({ path, resize: (o: { width: number }) => ({ path, width: o.width }) }),
    },
  };
  stub.electron = fake as unknown as ElectronLike;
  return stub;
}

/** An invoke event as Electron builds it for a frame at `url` of webContents `id`. */
export function invokeEvent(url: string, id: number, opts: { subFrame?: boolean } = {}): InvokeEventLike {
  const top = { url: 'app://tim/index.html', parent: null };
  return { sender: { id }, senderFrame: opts.subFrame ? { url, parent: top } : { url, parent: null } };
}
