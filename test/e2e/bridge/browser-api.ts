// Runs in the browser page, before the renderer: `window.api` built by the preload's own code
// (app/electron/bridge.ts buildApi) on an ipcRenderer stand-in that carries invoke() over HTTP and the main
// process's events over Server-Sent Events. So the page gets exactly the preload's object — one function per
// operation resolving to a Result, one on<Event> per event returning its unsubscribe — and the server answers
// each call with the main process's own handler (sender check, validation, Result).

import { buildApi, type IpcRendererLike } from '../../../app/electron/bridge';
import { API_GLOBAL, type AppError, type Result } from '../../../app/ipc/contract';

/** Where the bridge answers, relative to the page. */
const BASE = './__bridge/';

type Listener = (event: unknown, payload: unknown) => void;

/** The browser's EventSource, typed here because this file is type-checked with the Node types of the tests. */
interface EventStream {
  onmessage: ((m: { data: string }) => void) | null;
}

class HttpIpc implements IpcRendererLike {
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor() {
    const { EventSource } = globalThis as unknown as { EventSource: new (url: string) => EventStream };
    new EventSource(`${BASE}events`).onmessage = (m) => {
      const { channel, payload } = JSON.parse(m.data) as { channel: string; payload: unknown };
      for (const listener of this.listeners.get(channel) ?? []) listener(undefined, payload);
    };
  }

  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    try {
      const res = await fetch(`${BASE}invoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel, args }) });
      return (await res.json()) as Result<unknown>;
    } catch (err) {
      // ipcRenderer.invoke would reject only if main were gone; a Result keeps the renderer's one error path.
      const error: AppError = { kind: 'internal', message: `The development bridge did not answer (${String(err)}). Is it still running?` };
      return { ok: false, error };
    }
  }

  on(channel: string, listener: Listener): void {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
  }

  removeListener(channel: string, listener: Listener): void {
    this.listeners.get(channel)?.delete(listener);
  }
}

Object.defineProperty(globalThis, API_GLOBAL, { value: buildApi(new HttpIpc()), enumerable: true });
