// Moves the write-ahead log into the archive file on a thread of its own. SQLite would otherwise do it inside a
// commit of the writer (every ~4 MB of log), holding the backup engine's thread for as long as copying the pages
// and flushing the file to the disk takes — the long tail of commit times, and grants the pacer loses. Here the
// writer's connection never checkpoints (wal_autocheckpoint = 0); after each commit it nudges this thread, whose
// own connection runs a PASSIVE checkpoint (it never blocks the writer or readers) and answers with what the log
// holds. The log starts over from its beginning only when a checkpoint has copied all of it before the writer's
// next transaction begins: see Archive.writable() for how a backup leaves it that moment.
//
// The thread's code is a self-contained script (eval), so that it runs the same from the TypeScript sources,
// under the test runner and from the app's bundle.

import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

const SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const { path, answers } = workerData;
const db = new DatabaseSync(path, { timeout: 0 });
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const pageSize = db.prepare('PRAGMA page_size').get().page_size;
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    answers.close();
    parentPort.close();
    return;
  }
  let logBytes = null;
  try {
    const row = checkpoint.get();
    if (row.log >= 0) logBytes = row.log * pageSize;
  } catch {
    // interrupted: the next nudge tries again, and the writer bounds the log itself
  }
  answers.postMessage(logBytes);
});
`;

export class Checkpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<unknown>;
  /**
   * The thread's answers. The writer reads them at each commit without waiting for its event loop
   * (receiveMessageOnPort): a writer storing in a loop that never yields to it must still see its log grow.
   */
  private readonly answers: MessagePort;
  /** One per nudge not yet answered, in order (the thread answers its messages in turn). */
  private readonly waiting: (() => void)[] = [];
  private latest: number | undefined;
  private running = true;

  constructor(path: string) {
    const { port1, port2 } = new MessageChannel();
    this.answers = port1;
    this.worker = new Worker(SCRIPT, { eval: true, workerData: { path, answers: port2 }, transferList: [port2] });
    this.exited = new Promise((resolve) => this.worker.once('exit', resolve));
    port1.on('message', (logBytes: number | null) => this.receive(logBytes));
    port1.unref();
    // A thread that fails leaves the checkpoints to the writer's fallback; it must never crash the writer, nor
    // leave anyone waiting for its answer.
    this.worker.on('error', () => undefined);
    void this.exited.then(() => {
      this.running = false;
      for (const answer of this.waiting.splice(0)) answer();
    });
    this.worker.unref();
  }

  /** False once the thread has stopped (it failed, or was closed): the writer must checkpoint by itself. */
  get alive(): boolean {
    return this.running;
  }

  /** The log's length in bytes as the latest answered checkpoint left it (answers that have arrived are read now). */
  get logBytes(): number | undefined {
    for (let m = receiveMessageOnPort(this.answers); m; m = receiveMessageOnPort(this.answers)) this.receive(m.message as number | null);
    return this.latest;
  }

  /** The writer copied all of the log itself: its next transaction starts it over. */
  restarted(): void {
    this.latest = undefined;
  }

  /** Asks for a checkpoint; resolves once the thread has answered (or stopped). */
  nudge(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.worker.postMessage('now');
    });
  }

  async close(): Promise<void> {
    // Unreferenced, the thread would not keep the process alive until it has closed its connection.
    this.worker.ref();
    this.worker.postMessage('close');
    await this.exited;
    this.answers.close();
  }

  private receive(logBytes: number | null): void {
    if (logBytes !== null) this.latest = logBytes;
    this.waiting.shift()?.();
  }
}
