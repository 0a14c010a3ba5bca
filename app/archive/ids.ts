// messages.id is time-major, so that id order is time order: search and the desktop app's lists page through
// `ORDER BY id` (= FTS docid) instead of sorting hits by time. id = second · 2²⁰ + slot, where the preferred
// slot orders messages of one second by Seq (then group), and a taken slot probes to the next free one in the
// same second. Invariant: floor(id / 2²⁰) = idSecond(time), which time filters rely on.

export const SLOTS_PER_SECOND = 2 ** 20;
/** Ids per UTC day: `id / ID_DAY` (integer division) is a message's day, which the sender index is keyed by. */
export const ID_DAY = SLOTS_PER_SECOND * 86400;
/** Seconds up to 2²³³ keep every id below 2⁵³ (a safe JS integer): year 2242. */
const MAX_SECOND = 2 ** 33 - 1;

/** MsgTimeStamp as the id's second: whole, within [0, MAX_SECOND]. */
export function idSecond(time: number): number {
  return Math.min(MAX_SECOND, Math.max(0, Math.floor(Number.isFinite(time) ? time : 0)));
}

/** The id a message would take if its slot is free. */
export function preferredId(time: number, gid: number, seq: number): number {
  return idSecond(time) * SLOTS_PER_SECOND + (((seq & 0xfff) << 8) | (gid & 0xff));
}

/** The next slot after `id` in the same second (wrapping), for probing. */
export function nextSlot(id: number): number {
  const second = Math.floor(id / SLOTS_PER_SECOND);
  return second * SLOTS_PER_SECOND + ((id - second * SLOTS_PER_SECOND + 1) % SLOTS_PER_SECOND);
}

/** A range of ids containing every message with since ≤ time < until (and, for whole-second times, no other): [lo, hi). */
export function idRange(since: number | undefined, until: number | undefined): { lo: number; hi: number } {
  return {
    lo: since === undefined ? 0 : idSecond(since) * SLOTS_PER_SECOND,
    hi: ((until === undefined ? MAX_SECOND : idSecond(Math.ceil(until) - 1)) + 1) * SLOTS_PER_SECOND,
  };
}
