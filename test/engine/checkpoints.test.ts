import { describe, expect, it } from 'vitest';
import { CheckpointSchedule } from '../../app/engine/checkpoints';

describe('CheckpointSchedule', () => {
  it('is due every interval while the archive has changes, and stretches the interval to four times a slow checkpoint', () => {
    const s = new CheckpointSchedule(5000, 0);
    expect(s.take(4999, true)).toBe(false);
    expect(s.take(5000, false)).toBe(false);
    expect(s.take(5000, true)).toBe(true);
    // Not again while that one runs.
    expect(s.take(20_000, true)).toBe(false);
    s.finished(7000, 2000);
    expect(s.take(14_999, true)).toBe(false);
    expect(s.take(15_000, true)).toBe(true);
  });

  it('starts none once the last requests have gone out, for at most one interval, and again when another round begins', () => {
    const s = new CheckpointSchedule(5000, 0);
    s.finishing(4000);
    expect(s.take(6000, true)).toBe(false);
    // Retries backing off have kept the round open for a whole interval: save after all.
    expect(s.take(9000, true)).toBe(true);
    s.finished(9500, 100);
    s.finishing(14_000);
    expect(s.take(14_600, true)).toBe(false);
    s.resumed();
    expect(s.take(14_600, true)).toBe(true);
  });
});
