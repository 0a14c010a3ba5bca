// The main process's side of the worker: starts the thread, sends typed requests, and hands out its events.
// If the thread dies, every pending call resolves to an 'internal' error instead of hanging, and later calls fail
// the same way; the main process decides whether to start a new one.

import { Worker } from 'node:worker_threads';
import type { AppError, ArgsOf, EventName, Events, Result, Unsubscribe, ValueOf, WorkerOperation } from '../ipc/contract';
import type { StoredFile } from '../media/read';
import type { FromWorker, WorkerConfig, WorkerEvent, WorkerRequest } from './protocol';

export interface StartOptions {
  /** The worker's entry: app/worker/host.ts (tests, dev: with `typescript`), the bundled worker.mjs in the app. */
  entry: URL;
  config: WorkerConfig;
  /** Run a TypeScript entry through tsx (tests and development; the app runs the bundle). */
  typescript?: boolean;
}

/**
 * A worker that loads a TypeScript entry through tsx. `execArgv: ['--import', 'tsx']` is not enough on Node 20:
 * the worker's own entry is resolved before the hooks that option registers apply, so tsx loads it instead.
 */
function typescriptBootstrap(entry: URL): string {
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`;
}

const STOPPED: AppError = { kind: 'internal', message: 'The background worker of TIM Group Backup stopped unexpectedly. Restart the app; the archive is safe (it is saved after every few seconds of a backup).' };

export class WorkerClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, (r: Result<unknown>) => void>();
  private readonly listeners = new Set<(e: WorkerEvent) => void>();
  private exited = false;
  /** Why the thread died, if it did: for the main process's log (never shown to the renderer). */
  crash: Error | undefined;
  readonly exit: Promise<number>;

  constructor(opts: StartOptions) {
    this.worker = opts.typescript
      ? new Worker(typescriptBootstrap(opts.entry), { eval: true, workerData: opts.config })
      : new Worker(opts.entry, { workerData: opts.config });
    this.worker.on('message', (m: FromWorker) => {
      if (m.type === 'response') {
        this.pending.get(m.id)?.(m.result);
        this.pending.delete(m.id);
      } else {
        for (const l of this.listeners) l(m);
      }
    });
    this.exit = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        this.exited = true;
        for (const settle of this.pending.values()) settle({ ok: false, error: STOPPED });
        this.pending.clear();
        resolve(code);
      });
    });
    // An uncaught error ends the thread; 'exit' follows and settles what was pending.
    this.worker.on('error', (err) => {
      this.crash = err;
    });
  }

  call<K extends WorkerOperation>(op: K, ...args: ArgsOf<K>): Promise<Result<ValueOf<K>>> {
    return this.send({ type: 'request', id: this.nextId++, op, args } as WorkerRequest) as Promise<Result<ValueOf<K>>>;
  }

  on<K extends EventName>(name: K, listener: (payload: Events[K]) => void): Unsubscribe {
    return this.onEvent((e) => {
      if (e.name === name) listener(e.payload as Events[K]);
    });
  }

  /** Every event, e.g. to forward them all to the window. */
  onEvent(listener: (e: WorkerEvent) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hands the worker the system's proxy for each origin (Electron's session.resolveProxy answers). */
  async setProxy(byOrigin: Record<string, string>): Promise<void> {
    await this.send({ type: 'proxy', id: this.nextId++, byOrigin });
  }

  /** Where the stored file of a sha256 is, in any profile's archive; undefined when none stored it. */
  async mediaFile(sha256: string): Promise<StoredFile | undefined> {
    const r = await this.send({ type: 'mediaFile', id: this.nextId++, sha256 });
    return r.ok ? (r.value as StoredFile | undefined) : undefined;
  }

  /**
   * Cancels backups and saves every archive, then ends the thread. After `timeoutMs` the thread is ended anyway
   * (a stuck export must not keep an app with no window alive): resolves true when the worker saved in time.
   */
  async shutdown(timeoutMs = Infinity): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      if (Number.isFinite(timeoutMs)) timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const saved = this.exited ? true : await Promise.race([this.send({ type: 'shutdown', id: this.nextId++ }).then((r) => r.ok), late]);
    clearTimeout(timer);
    await this.worker.terminate();
    return saved;
  }

  /**
   * The same, blocking this thread until the worker has saved or `timeoutMs` passed: for the moment the OS ends
   * the session (Windows session-end, a shutdown or logout), when the process may be killed as soon as the
   * event handler returns. True when the worker saved in time.
   */
  shutdownBlocking(timeoutMs: number): boolean {
    if (this.exited) return true;
    const done = new Int32Array(new SharedArrayBuffer(4));
    this.worker.postMessage({ type: 'shutdown', id: this.nextId++, done } satisfies WorkerRequest);
    const saved = Atomics.wait(done, 0, 0, timeoutMs) !== 'timed-out';
    void this.worker.terminate();
    return saved;
  }

  private send(req: WorkerRequest): Promise<Result<unknown>> {
    if (this.exited) return Promise.resolve({ ok: false, error: STOPPED });
    return new Promise((resolve) => {
      this.pending.set(req.id, resolve);
      this.worker.postMessage(req);
    });
  }
}
