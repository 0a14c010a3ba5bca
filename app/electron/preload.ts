// The preload of the app window (sandboxed, bundled to one CommonJS file): exposes window.api and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { API_GLOBAL } from '../ipc/contract';
import { buildApi } from './bridge';

contextBridge.exposeInMainWorld(API_GLOBAL, buildApi(ipcRenderer));
