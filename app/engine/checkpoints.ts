// When a run saves the archive. A checkpoint writes the pages that changed since the one before last (about
// 1 s per interval at a million messages), but the whole file when it has no shadow copy to patch (7–10 s
// there): the interval grows with its cost, so never more than a fifth of the run is spent saving, and a crash
// still loses at most one interval.
// Once a round's last request has gone out, the run's final checkpoint (or the next round) is about a round
// trip away: a periodic one started then would only hold up the end of the run. That holds for one interval at
// most, though: a window whose retries back off can keep a round open for many seconds.

export class CheckpointSchedule {
  private next: number;
  /** When the round's last request went out; −∞ while requests are still to go. */
  private finishingSince = -Infinity;

  constructor(
    private readonly everyMs: number,
    now: number,
  ) {
    this.next = now + everyMs;
  }

  /** Whether a periodic checkpoint should start now; if so, none is due again until it has finished. */
  take(now: number, dirty: boolean): boolean {
    if (!dirty || now < this.next || now - this.finishingSince < this.everyMs) return false;
    this.next = Infinity;
    return true;
  }

  /** A periodic checkpoint took `ms`. */
  finished(now: number, ms: number): void {
    this.next = now + Math.max(this.everyMs, 4 * ms);
  }

  /** The round's last request has gone out. */
  finishing(now: number): void {
    this.finishingSince = now;
  }

  /** Another round of requests begins. */
  resumed(): void {
    this.finishingSince = -Infinity;
  }
}
