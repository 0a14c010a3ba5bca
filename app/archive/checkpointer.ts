// Moves the write-ahead log into the archive file on a thread of its own. SQLite would otherwise do it inside a
// commit of the writer (every ~4 MB of log), holding the backup engine's thread for as long as copying the pages
// and flushing the file to the disk takes — the long tail of commit times, and grants the pacer loses. Here the
// writer's connection never checkpoints (wal_autocheckpoint = 0); after each commit it nudges this thread, whose
// own connection runs a PASSIVE checkpoint (it never blocks the writer or readers). The log restarts from the
// beginning only once a checkpoint has copied all of it before the writer's next transaction; a writer that never
// pauses finishes that itself when the log has grown (see WAL_RESTART_AT in ./archive.ts), cheaply, since this
// thread has copied nearly all of it.
//
// The thread's code is a self-contained script (eval), so that it runs the same from the TypeScript sources,
// under the test runner and from the app's bundle.

import { Worker } from 'node:worker_threads';

const SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.path, { timeout: 0 });
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    db.exec('PRAGMA wal_checkpoint(PASSIVE)');
  } catch {
    // busy or interrupted: the next nudge tries again, and the writer bounds the log itself
  }
});
`;

export class Checkpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<unknown>;

  constructor(path: string) {
    this.worker = new Worker(SCRIPT, { eval: true, workerData: { path } });
    this.exited = new Promise((resolve) => this.worker.once('exit', resolve));
    // A thread that fails leaves the checkpoints to the writer's fallback; it must never crash the writer.
    this.worker.on('error', () => undefined);
    this.worker.unref();
  }

  nudge(): void {
    this.worker.postMessage('now');
  }

  async close(): Promise<void> {
    // Unreferenced, the thread would not keep the process alive until it has closed its connection.
    this.worker.ref();
    this.worker.postMessage('close');
    await this.exited;
  }
}
