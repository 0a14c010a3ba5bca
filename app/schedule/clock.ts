// The scheduler's only view of time, so that tests can move it (and the time zone) at will.

export interface Clock {
  now(): number;
  /** The computer's IANA time zone now: it changes when the person travels or changes the setting. */
  timeZone(): string;
  /** Calls `fn` once after `ms`; returns what cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
}

/**
 * Timers longer than this are not trusted: a sleeping computer pauses them on some systems and not others, and
 * a long one would miss a change of time zone or of the system clock. The scheduler looks again at least this often.
 */
export const MAX_TIMER_MS = 15 * 60_000;

export const systemClock: Clock = {
  now: () => Date.now(),
  timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};
