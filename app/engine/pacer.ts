// One pacer per SDKAppID, shared by every group and every API call of that app.
//
// Tencent counts calls in a strict one-second sliding window (200/s for the group APIs) and the customer's own
// backend draws from the same allowance, so we aim below it (180/s by default) and hold ourselves to the same
// kind of window: no one-second window ever holds more than `rate` of our calls. Within that bound, requests
// follow an ideal schedule 1/rate apart, kept against the clock at the moment of the grant.
// When our event loop stalls (a commit, a big JSON answer), the calls that fell due meanwhile are made up — not
// all at once, but at twice the pace until the schedule is caught up, and never past the window's bound: a stall
// of a few milliseconds per commit would otherwise cost a tenth of the allowance for good. A caller that comes to
// an idle pacer starts the schedule afresh, so a quiet spell is never "made up".
// When Tencent still says "too fast" (someone else is using the allowance), the rate is cut multiplicatively
// and recovers additively (AIMD), so we share the limit instead of fighting for it.
// The engine's own CPU work (storing an answer) is run between grants, where it delays none — see betweenGrants().

import { type Said, type Sentences, type Tables, sayAll } from '../errors/said';
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

/** A request rate a person typed that is not one we can use, in every language. */
export class RateError extends RangeError {
  readonly said: Said;
  constructor(got: string) {
    const said = sayAll(RATE, 'rate', { got });
    super(said.en);
    this.said = said;
  }
}

export const RATE_EN = {
  rate: (p) =>
    `The request rate must be a whole number from ${MIN_RATE} to ${MAX_RATE} requests per second ` +
    `(Tencent allows ${MAX_RATE}/s per app; the default ${DEFAULT_RATE}/s leaves room for your own backend). Got "${p.got}".`,
} satisfies Sentences<'rate', { got: string }>;

export const RATE_ZH = {
  rate: (p) =>
    `每秒请求数必须是 ${MIN_RATE} 到 ${MAX_RATE} 之间的整数（腾讯每个应用每秒最多允许 ${MAX_RATE} 次；默认的每秒 ${DEFAULT_RATE} 次给您自己的后台留出余量）。当前为“${p.got}”。`,
} satisfies Sentences<'rate', { got: string }>;

const RATE: Tables<'rate', { got: string }> = { en: RATE_EN, 'zh-CN': RATE_ZH };

/**
 * Validates a user-supplied rate (CLI flag as typed, profile setting) with a message a person can act on; a
 * rejected value is quoted as it was given.
 */
export function checkRate(value: number | string): number {
  const rate = typeof value === 'number' ? value : /^\s*\d+\s*$/u.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(rate) || rate < MIN_RATE || rate > MAX_RATE) {
    throw new RateError(String(value));
  }
  return rate;
}

const DECREASE_FACTOR = 0.5;
/** After a cut, further "too fast" answers within this time are echoes of the same overload, not new news. */
const DECREASE_HOLDOFF_MS = 1000;
/** Share of the target regained per second without a rate-limit answer. */
const RECOVERY_PER_SECOND = 0.05;
/** Work run between grants starts only with at least this long to go before the next grant falls due. */
const SPARE_MS = 2;
/** Calls that fell due during a stall are made up at this multiple of the rate. */
const CATCH_UP = 2;
/** Lateness made up at most: longer stalls (a suspended laptop) are let go. */
const MAKE_UP_MS = 1000;
/** The window Tencent counts in. */
const WINDOW_MS = 1000;

/** Latency-critical calls (a serial search, the rest of a cut-short window) jump the queue of bulk fetches. */
export type Lane = 'bulk' | 'urgent';

interface Waiter {
  /** When the caller asked. */
  readonly since: number;
  grant(): void;
}

export class Pacer {
  readonly target: number;
  private current: number;
  /** When the last call was granted, on the ideal schedule. */
  private last = -Infinity;
  /** When the last calls were actually granted, oldest first: at most MAX_RATE, enough for any window. */
  private readonly granted: number[] = [];
  /** Callers waiting for a grant, first come first served within a lane. */
  private readonly lanes: Record<Lane, Waiter[]> = { urgent: [], bulk: [] };
  private pumping = false;
  /** Work waiting for room between grants, in the order it was handed in. */
  private readonly spareWork: (() => void)[] = [];
  private draining = false;
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

  /**
   * Resolves when the caller may send one request. Rejects with the signal's reason if aborted while waiting
   * (a cancelled wait uses up no slot). `urgent` callers are granted before every waiting bulk caller: a chain
   * of calls that each wait for the previous answer would otherwise queue behind a whole concurrency's worth
   * of bulk fetches at every step.
   */
  acquire(signal?: AbortSignal, lane: Lane = 'bulk'): Promise<void> {
    signal?.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const queue = this.lanes[lane];
      const abort = () => {
        queue.splice(queue.indexOf(waiter), 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        since: this.now(),
        grant: () => {
          signal?.removeEventListener('abort', abort);
          resolve();
        },
      };
      queue.push(waiter);
      signal?.addEventListener('abort', abort, { once: true });
      // Not synchronously: a caller that cancels right after asking should not have used up a slot.
      queueMicrotask(() => void this.pump());
    });
  }

  /**
   * Runs a few milliseconds of synchronous work where it delays no grant: soon when nobody waits for one or the
   * next is far enough off, else just after the next grant — after the granted request has gone out, so a
   * grant is never late because a store is running. Works run one after another, in the order handed in, each
   * only while the room lasts.
   */
  betweenGrants<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.spareWork.push(() => {
        try {
          resolve(work());
        } catch (err) {
          reject(err);
        }
      });
      this.drainSoon();
    });
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

  /** Grants waiting callers one at a time, each when its slot on the schedule has come. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiting()) {
        // The rate may be cut while we sleep: the slot is worked out again after every wake-up.
        const due = this.nextDue();
        const wait = due - this.now();
        // Timers have millisecond resolution: less than one to go is as good as due (the schedule stays ideal).
        if (wait >= 1) {
          await sleep(Math.ceil(wait));
          continue;
        }
        // Who goes is decided at grant time, so an urgent caller that arrived during the sleep goes first.
        const next = this.lanes.urgent.shift() ?? this.lanes.bulk.shift();
        if (!next) break;
        const now = this.now();
        // Lateness is made up only for a caller that was already waiting when its slot fell due: one that comes
        // to an idle pacer is granted at once and starts the schedule afresh, so a quiet spell never lets a
        // burst through (at 1 call/s — the group listing — even two at once would break Tencent's limit).
        this.last = Math.max(this.last + 1000 / this.rate, next.since, now - MAKE_UP_MS);
        this.granted.push(now);
        if (this.granted.length > MAX_RATE) this.granted.shift();
        next.grant();
        this.drainSoon();
      }
    } finally {
      this.pumping = false;
      this.drainSoon();
    }
  }

  /** When the next call may go: its slot on the schedule, no sooner than the catch-up pace and the window allow. */
  private nextDue(): number {
    const interval = 1000 / this.rate;
    const limit = Math.max(1, Math.floor(this.rate));
    const previous = this.granted.at(-1) ?? -Infinity;
    const windowStart = this.granted.length >= limit ? this.granted[this.granted.length - limit]! + WINDOW_MS : -Infinity;
    return Math.max(this.last + interval, previous + interval / CATCH_UP, windowStart);
  }

  private waiting(): boolean {
    return this.lanes.urgent.length + this.lanes.bulk.length > 0;
  }

  private roomBeforeNextGrant(): boolean {
    return !this.waiting() || this.nextDue() - this.now() >= SPARE_MS;
  }

  /**
   * In the event loop's check phase: after the request just granted has been written out (the socket write
   * is a next-tick job of its continuation) and after the answers that arrived meanwhile have been read.
   */
  private drainSoon(): void {
    if (this.draining || this.spareWork.length === 0) return;
    this.draining = true;
    setImmediate(() => {
      this.draining = false;
      while (this.spareWork.length > 0 && this.roomBeforeNextGrant()) this.spareWork.shift()!();
    });
  }

  private recover(): void {
    const now = this.now();
    const elapsed = (now - this.lastAdjust) / 1000;
    this.lastAdjust = now;
    if (this.current >= this.target || now - this.lastCut < DECREASE_HOLDOFF_MS) return;
    this.current = Math.min(this.target, this.current + this.target * RECOVERY_PER_SECOND * elapsed);
  }
}
