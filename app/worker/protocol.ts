// The messages between the main process and the worker thread. The request union is derived from WorkerApi, so
// a request can only name an operation the worker implements, with that operation's argument.

import type { ArgsOf, EventName, Events, Result, ValueOf, WorkerOperation } from '../ipc/contract';

/** What the worker implements: every contract operation that is not the main process's own. */
export type WorkerApi = { [K in WorkerOperation]: (...args: ArgsOf<K>) => Promise<ValueOf<K>> };

export type WorkerRequest =
  | { [K in WorkerOperation]: { type: 'request'; id: number; op: K; args: ArgsOf<K> } }[WorkerOperation]
  /**
   * Cancel running backups, wait for exports, save and close every archive; answered, then the thread may end.
   * `done` (an Int32Array over shared memory) is set to 1 and notified as well, for a main thread that cannot
   * wait for a message: one blocked in Atomics.wait while the OS ends the session.
   */
  | { type: 'shutdown'; id: number; done?: Int32Array }
  /** The system's proxy per origin, as Electron resolved it ("PROXY host:port; DIRECT"): main asks, the worker uses. */
  | { type: 'proxy'; id: number; byOrigin: Record<string, string> }
  /** The stored file of a sha256 (app/media/protocol.ts, for the window's tim-media:// requests); never a renderer call. */
  | { type: 'mediaFile'; id: number; sha256: string };

export type WorkerEvent = { [K in EventName]: { type: 'event'; name: K; payload: Events[K] } }[EventName];

export type FromWorker = { type: 'response'; id: number; result: Result<unknown> } | WorkerEvent;

/** Given to the worker at start (workerData). */
export interface WorkerConfig {
  /** The app's data folder: profiles.json and the default archives folder. */
  dataDir: string;
  /** Keychain service name; tests use their own so they never touch a real profile's key. */
  keychainService?: string;
  /** The least time between two progress events of an export; default 100 ms (tests shorten it to see many). */
  exportProgressIntervalMs?: number;
}

export type Emit = <K extends EventName>(name: K, payload: Events[K]) => void;
