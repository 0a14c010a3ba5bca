// Counting the messages an export has written, and telling a listener now and then: the desktop app forwards it
// to the window as a progress bar, where more than ~10 updates a second would only cost redraws.

export interface ProgressOptions {
  /** Messages written so far; called at most once per `progressIntervalMs` while the export runs. */
  onProgress?: (messages: number) => void;
  /** Default 100 ms. */
  progressIntervalMs?: number;
}

/** The clock is read once per this many messages, so counting costs nothing next to writing a message. */
const CHECK_EVERY = 64;

export class ProgressCounter {
  messages = 0;
  private readonly listener: ((messages: number) => void) | undefined;
  private readonly intervalMs: number;
  private last = performance.now();

  constructor(opts: ProgressOptions = {}) {
    this.listener = opts.onProgress;
    this.intervalMs = opts.progressIntervalMs ?? 100;
  }

  /** One more message written. */
  add(): void {
    this.messages++;
    if (this.listener === undefined || this.messages % CHECK_EVERY !== 0) return;
    const now = performance.now();
    if (now - this.last < this.intervalMs) return;
    this.last = now;
    this.listener(this.messages);
  }
}
