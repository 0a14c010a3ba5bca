// The only module that touches `window.api` (the preload's bridge in Electron, the development bridge in a
// browser). Everything else imports `api` from here, typed by the one IPC contract.

import { API_GLOBAL, type RendererApi } from '../../../app/ipc/contract';

function bridge(): RendererApi {
  const found = (window as unknown as Record<string, RendererApi | undefined>)[API_GLOBAL];
  if (!found) throw new Error('window.api is missing: the renderer must be loaded by the app (or the development bridge).');
  return found;
}

export const api: RendererApi = bridge();
