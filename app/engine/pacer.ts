// One pacer per SDKAppID, shared by every group and every API call of that app.
//
// Tencent counts calls in a strict one-second sliding window (200/s for the group APIs) and the customer's own
// backend draws from the same allowance, so we aim below it (180/s by default) and never burst: requests are
// granted one at a time, 1/rate apart. The schedule is kept against the clock at the moment of the grant, not
// at the moment of asking: when our event loop stalls (a checkpoint, a big JSON answer), the calls that fell
// due meanwhile must not leave together and crowd a later second. At most two intervals of lateness are made
// up, so any one-second window holds at most rate + 3 calls.
// When Tencent still says "too fast" (someone else is using the allowance), the rate is cut multiplicatively
// and recovers additively (AIMD), so we share the limit instead of fighting for it.

import { sleep } from './backoff';

export const DEFAULT_RATE = 180;
export const MIN_RATE = 1;
export const MAX_RATE = 200;

export interface PacerOptions {
  /** Target requests per second, 1..200. */
  rate?: number;
  /** Milliseconds clock; injectable for tests. */
  now?: () => number;
}

export class RateError extends RangeError {}

/** Validates a user-supplied rate (CLI flag, profile setting) with a message a person can act on. */
export function checkRate(rate: number): number {
  if (!Number.isFinite(rate) || !Number.isInteger(rate) || rate < MIN_RATE || rate > MAX_RATE) {
    throw new RateError(
      `The request rate must be a whole number from ${MIN_RATE} to ${MAX_RATE} requests per second ` +
        `(Tencent allows ${MAX_RATE}/s per app; the default ${DEFAULT_RATE}/s leaves room for your own backend). Got: ${rate}.`,
    );
  }
  return rate;
}

const DECREASE_FACTOR = 0.5;
/** After a cut, further "too fast" answers within this time are echoes of the same overload, not new news. */
const DECREASE_HOLDOFF_MS = 1000;
/** Share of the target regained per second without a rate-limit answer. */
const RECOVERY_PER_SECOND = 0.05;

export class Pacer {
  readonly target: number;
  private current: number;
  /** When the last call was granted, on the ideal schedule. */
  private last = -Infinity;
  /** Grants happen one after another, in the order they were asked for. */
  private queue: Promise<void> = Promise.resolve();
  private lastCut = -Infinity;
  private lastAdjust: number;
  private readonly now: () => number;
  private cuts = 0;

  constructor(opts: PacerOptions = {}) {
    this.target = checkRate(opts.rate ?? DEFAULT_RATE);
    this.current = this.target;
    this.now = opts.now ?? (() => performance.now());
    this.lastAdjust = this.now();
  }

  /** The rate currently paced at (below target after rate-limit answers). */
  get rate(): number {
    this.recover();
    return this.current;
  }

  /** How many times Tencent's rate-limit answers made us slow down. */
  get slowdowns(): number {
    return this.cuts;
  }

  /** Resolves when the caller may send one request. Rejects with the signal's reason if aborted while waiting. */
  acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const turn = this.queue.then(async () => {
      signal?.throwIfAborted();
      const interval = 1000 / this.rate;
      const due = this.last + interval;
      const wait = due - this.now();
      if (wait > 0) await sleep(wait, signal);
      this.last = Math.max(due, this.now() - 2 * interval);
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Tencent answered with a rate-limit code: back off. The refused request itself is retried by the caller. */
  onRateLimited(): void {
    const now = this.now();
    if (now - this.lastCut < DECREASE_HOLDOFF_MS) return;
    this.recover();
    this.lastCut = now;
    this.cuts++;
    this.current = Math.max(MIN_RATE, this.current * DECREASE_FACTOR);
    // Whatever was already let through counts against the lowered rate: the next call waits a full interval.
    this.last = Math.max(this.last, now);
  }

  private recover(): void {
    const now = this.now();
    const elapsed = (now - this.lastAdjust) / 1000;
    this.lastAdjust = now;
    if (this.current >= this.target || now - this.lastCut < DECREASE_HOLDOFF_MS) return;
    this.current = Math.min(this.target, this.current + this.target * RECOVERY_PER_SECOND * elapsed);
  }
}
