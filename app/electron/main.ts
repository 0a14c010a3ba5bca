// The Electron main process entry (bundled to out/main.mjs, electron-updater with it): hands the real Electron
// module and updater to the wiring in ./app, which tests load with stubs. The worker runs from inside app.asar
// (Electron reads the archive in worker threads too), under the archive's integrity check; only native .node
// files are unpacked beside it (electron-builder.yml asarUnpack), because the OS must load them from a real file.
import * as electron from 'electron';
import { autoUpdater } from 'electron-updater';
import { fileURLToPath } from 'node:url';
import { startApp } from './app';

const here = (file: string) => new URL(file, import.meta.url);

startApp(
  electron,
  {
    rendererDir: fileURLToPath(here('../renderer/dist/')),
    preload: fileURLToPath(here('./preload.cjs')),
    worker: here('./worker.mjs'),
    trayIcon: fileURLToPath(here('./tray.png')),
  },
  { updater: autoUpdater },
);
