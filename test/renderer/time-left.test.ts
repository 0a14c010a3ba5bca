// A running backup's time left appears only once the backup has run 3 seconds (issue 15: the first seconds' pace
// said "78 s" for a 3-second job) — at that moment, even when no progress event arrives then. A hand-moved clock:
// no real waiting.
import { describe, expect, it } from 'vitest';
import type { BackupProgress } from '../../app/ipc/contract';
import type { UiClock } from '../../renderer/src/lib/state/clock';
import { ETA_AFTER_MS, TimeLeft } from '../../renderer/src/lib/state/time-left.svelte';

class HandClock implements UiClock {
  private t = 0;
  private timers: { at: number; run: () => void; id: number }[] = [];
  private ids = 0;
  now(): number {
    return this.t;
  }
  setTimeout(run: () => void, ms: number): unknown {
    const id = ++this.ids;
    this.timers.push({ at: this.t + ms, run, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }
  advance(ms: number): void {
    this.t += ms;
    for (const due of this.timers.filter((x) => x.at <= this.t).sort((a, b) => a.at - b.at)) {
      this.clearTimeout(due.id);
      due.run();
    }
  }
  get pending(): number {
    return this.timers.length;
  }
}

/** `null`: the engine has no estimate yet. */
function progress(elapsedMs: number, etaSeconds: number | null = 78): BackupProgress {
  return { elapsedMs, ...(etaSeconds !== null ? { etaSeconds } : {}) } as BackupProgress;
}

describe('the time left of a running backup', () => {
  it('is withheld for the first 3 seconds, then shown without waiting for another event', () => {
    const clock = new HandClock();
    const left = new TimeLeft(clock);
    left.observe(progress(400));
    expect(left.seconds(progress(400))).toBeUndefined();
    clock.advance(ETA_AFTER_MS - 400 - 1);
    expect(left.seconds(progress(400))).toBeUndefined();
    clock.advance(1);
    expect(left.settled).toBe(true);
    expect(left.seconds(progress(400, 12))).toBe(12);
  });

  it('counts by the engine’s elapsed time, so a reloaded window that joins a long backup shows it at once', () => {
    const clock = new HandClock();
    const left = new TimeLeft(clock);
    left.observe(progress(ETA_AFTER_MS + 5_000, 40));
    expect(left.seconds(progress(ETA_AFTER_MS + 5_000, 40))).toBe(40);
    expect(clock.pending).toBe(0);
  });

  it('each event re-aims the moment; a new backup starts the count again', () => {
    const clock = new HandClock();
    const left = new TimeLeft(clock);
    left.observe(progress(0));
    clock.advance(1_000);
    // The engine says 2.5 s have passed (the window was busy): 0.5 s to go, not 2 s.
    left.observe(progress(2_500));
    expect(clock.pending).toBe(1);
    clock.advance(499);
    expect(left.settled).toBe(false);
    clock.advance(1);
    expect(left.settled).toBe(true);

    left.observe(undefined);
    expect(left.settled).toBe(false);
    left.observe(progress(100));
    expect(left.seconds(progress(100))).toBeUndefined();
    left.reset();
    expect(clock.pending).toBe(0);
  });

  it('says nothing while the engine has no estimate yet', () => {
    const left = new TimeLeft(new HandClock());
    left.observe(progress(10_000, null));
    expect(left.seconds(progress(10_000, null))).toBeUndefined();
  });
});
