// The app's own menu, in the UI's language (English or Simplified Chinese), instead of Electron's default one with
// its electronjs.org links. It holds what a person needs outside the page: About with the versions, "Copy
// diagnostics" for a support request, the logs folder, and updates (check now, and the opt-out).

import type * as Electron from 'electron';
import type { Lang } from '../export/i18n';

export interface MenuActions {
  about(): void;
  copyDiagnostics(): void;
  openLogsFolder(): void;
  checkForUpdates(): void;
  /** Whether updates are checked for at start; the person's opt-out. */
  autoUpdates: boolean;
  setAutoUpdates(on: boolean): void;
}

const en = {
  app: 'TIM Group Backup',
  file: 'File',
  edit: 'Edit',
  view: 'View',
  window: 'Window',
  help: 'Help',
  about: 'About TIM Group Backup',
  quit: 'Quit TIM Group Backup',
  close: 'Close Window',
  hide: 'Hide TIM Group Backup',
  hideOthers: 'Hide Others',
  unhide: 'Show All',
  undo: 'Undo',
  redo: 'Redo',
  cut: 'Cut',
  copy: 'Copy',
  paste: 'Paste',
  selectAll: 'Select All',
  reload: 'Reload',
  devTools: 'Developer Tools',
  resetZoom: 'Actual Size',
  zoomIn: 'Zoom In',
  zoomOut: 'Zoom Out',
  fullScreen: 'Toggle Full Screen',
  minimize: 'Minimize',
  zoom: 'Zoom',
  checkForUpdates: 'Check for Updates…',
  autoUpdates: 'Check for Updates Automatically',
  copyDiagnostics: 'Copy Diagnostics',
  openLogs: 'Open Logs Folder',
};

const zhCN = {
  app: 'TIM Group Backup',
  file: '文件',
  edit: '编辑',
  view: '视图',
  window: '窗口',
  help: '帮助',
  about: '关于 TIM Group Backup',
  quit: '退出 TIM Group Backup',
  close: '关闭窗口',
  hide: '隐藏 TIM Group Backup',
  hideOthers: '隐藏其他',
  unhide: '全部显示',
  undo: '撤销',
  redo: '重做',
  cut: '剪切',
  copy: '复制',
  paste: '粘贴',
  selectAll: '全选',
  reload: '重新加载',
  devTools: '开发者工具',
  resetZoom: '实际大小',
  zoomIn: '放大',
  zoomOut: '缩小',
  fullScreen: '切换全屏',
  minimize: '最小化',
  zoom: '缩放',
  checkForUpdates: '检查更新…',
  autoUpdates: '自动检查更新',
  copyDiagnostics: '复制诊断信息',
  openLogs: '打开日志文件夹',
} satisfies typeof en;

export const MENU_LABELS: Record<Lang, typeof en> = { en, 'zh-CN': zhCN };

export function menuTemplate(lang: Lang, actions: MenuActions, opts: { platform: NodeJS.Platform; packaged: boolean }): Electron.MenuItemConstructorOptions[] {
  const t = MENU_LABELS[lang];
  const mac = opts.platform === 'darwin';
  const about: Electron.MenuItemConstructorOptions = { label: t.about, click: () => actions.about() };
  const updates: Electron.MenuItemConstructorOptions[] = [
    { label: t.checkForUpdates, click: () => actions.checkForUpdates() },
    { label: t.autoUpdates, type: 'checkbox', checked: actions.autoUpdates, click: (item) => actions.setAutoUpdates(item.checked) },
  ];
  const quit: Electron.MenuItemConstructorOptions = { label: t.quit, role: 'quit' };
  return [
    ...(mac
      ? [
          {
            label: t.app,
            submenu: [
              about,
              { type: 'separator' },
              ...updates,
              { type: 'separator' },
              { label: t.hide, role: 'hide' },
              { label: t.hideOthers, role: 'hideOthers' },
              { label: t.unhide, role: 'unhide' },
              { type: 'separator' },
              quit,
            ],
          } satisfies Electron.MenuItemConstructorOptions,
        ]
      : []),
    { label: t.file, submenu: [mac ? { label: t.close, role: 'close' } : quit] },
    {
      label: t.edit,
      submenu: [
        { label: t.undo, role: 'undo' },
        { label: t.redo, role: 'redo' },
        { type: 'separator' },
        { label: t.cut, role: 'cut' },
        { label: t.copy, role: 'copy' },
        { label: t.paste, role: 'paste' },
        { label: t.selectAll, role: 'selectAll' },
      ],
    },
    {
      label: t.view,
      submenu: [
        // Reload and DevTools are for development: a reload in the packaged app only loses the page's state.
        ...(opts.packaged
          ? []
          : ([
              { label: t.reload, role: 'reload' },
              { label: t.devTools, role: 'toggleDevTools' },
              { type: 'separator' },
            ] satisfies Electron.MenuItemConstructorOptions[])),
        { label: t.resetZoom, role: 'resetZoom' },
        { label: t.zoomIn, role: 'zoomIn' },
        { label: t.zoomOut, role: 'zoomOut' },
        { type: 'separator' },
        { label: t.fullScreen, role: 'togglefullscreen' },
      ],
    },
    { label: t.window, submenu: [{ label: t.minimize, role: 'minimize' }, ...(mac ? [{ label: t.zoom, role: 'zoom' } as const] : [])] },
    {
      label: t.help,
      role: 'help',
      submenu: [
        ...(mac ? [] : [about, { type: 'separator' } as const, ...updates, { type: 'separator' } as const]),
        { label: t.copyDiagnostics, click: () => actions.copyDiagnostics() },
        { label: t.openLogs, click: () => actions.openLogsFolder() },
      ],
    },
  ];
}
