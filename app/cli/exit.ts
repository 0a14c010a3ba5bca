/** Exit codes: 0 success, 1 failure, 2 bad usage, 3 finished with gaps (failed windows, skipped groups), 130 cancelled. */
export const EXIT = { ok: 0, failed: 1, usage: 2, partial: 3, cancelled: 130 } as const;
