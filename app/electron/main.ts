// The Electron main process entry (bundled to out/main.mjs): hands the real Electron module to the wiring in
// ./app, which tests load with a stub. The worker runs from outside the asar archive in a packaged app, with the
// modules it loads at run time (electron-builder.yml asarUnpack).
import * as electron from 'electron';
import { fileURLToPath } from 'node:url';
import { startApp } from './app';

const here = (file: string) => new URL(file, import.meta.url);
const unpacked = (url: URL) => new URL(url.href.replace('/app.asar/', '/app.asar.unpacked/'));

startApp(electron, {
  rendererDir: fileURLToPath(here('../renderer/dist/')),
  preload: fileURLToPath(here('./preload.cjs')),
  worker: electron.app.isPackaged ? unpacked(here('./worker.mjs')) : here('./worker.mjs'),
});
