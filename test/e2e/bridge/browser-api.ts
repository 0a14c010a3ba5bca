// Runs in the browser page, before the renderer: defines `window.api` with exactly the preload's shape — one
// function per contract operation resolving to a Result, one `on<Event>` subscription per event returning its
// unsubscribe — over HTTP to the bridge server (calls) and Server-Sent Events (events). The server transpiles
// this file and calls installApi() with the contract's names, so nothing here can drift from the contract.

import type { AppError, EventName, Operation, Result } from '../../../app/ipc/contract';

export interface BridgeSpec {
  /** Where the bridge answers, relative to the page: "./__bridge/". */
  base: string;
  global: string;
  operations: Operation[];
  events: { name: EventName; subscription: string }[];
}

/** The browser's EventSource, typed here because this file is type-checked with the Node types of the tests. */
interface EventStream {
  onmessage: ((m: { data: string }) => void) | null;
}

export function installApi(spec: BridgeSpec): void {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const { EventSource } = globalThis as unknown as { EventSource: new (url: string) => EventStream };
  const source = new EventSource(`${spec.base}events`);
  source.onmessage = (m) => {
    const { name, payload } = JSON.parse(m.data) as { name: string; payload: unknown };
    for (const listener of listeners.get(name) ?? []) listener(payload);
  };

  const api: Record<string, unknown> = {};
  for (const op of spec.operations) {
    api[op] = (...args: unknown[]) => call(spec.base, op, args[0]);
  }
  for (const { name, subscription } of spec.events) {
    const set = new Set<(payload: unknown) => void>();
    listeners.set(name, set);
    api[subscription] = (listener: (payload: unknown) => void) => {
      // Like the preload: the renderer's function is wrapped, so unsubscribing removes exactly this subscription.
      const wrapped = (payload: unknown) => listener(payload);
      set.add(wrapped);
      return () => void set.delete(wrapped);
    };
  }
  Object.defineProperty(globalThis, spec.global, { value: Object.freeze(api), enumerable: true });
}

async function call(base: string, op: string, arg: unknown): Promise<Result<unknown>> {
  try {
    const res = await fetch(`${base}call/${op}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(arg === undefined ? {} : { arg }),
    });
    return (await res.json()) as Result<unknown>;
  } catch (err) {
    // The preload never rejects; neither does this: a lost bridge is an internal error like a dead worker.
    const error: AppError = { kind: 'internal', message: `The development bridge did not answer (${String(err)}). Is the dev server still running?` };
    return { ok: false, error };
  }
}
