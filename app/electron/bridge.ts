// What the preload exposes as window.api: one function per operation and one subscription per event, built from
// the contract's lists. The renderer never gets ipcRenderer, an event object or a channel name; listeners receive
// the payload only, and every subscription returns its unsubscribe. Electron-free, so tests build it with a stub.

import { channel, EVENTS, OPERATIONS, type RendererApi, subscriptionName } from '../ipc/contract';

/** The parts of ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

export function buildApi(ipc: IpcRendererLike): RendererApi {
  const api: Record<string, unknown> = {};
  for (const op of OPERATIONS) {
    const name = channel.operation(op);
    api[op] = (...args: unknown[]) => ipc.invoke(name, ...args);
  }
  for (const event of EVENTS) {
    const name = channel.event(event);
    api[subscriptionName(event)] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError(`${subscriptionName(event)} needs a function`);
      const wrapped = (_event: unknown, payload: unknown) => listener(payload);
      ipc.on(name, wrapped);
      return () => void ipc.removeListener(name, wrapped);
    };
  }
  return Object.freeze(api) as RendererApi;
}
