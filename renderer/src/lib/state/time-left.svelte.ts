// When a running backup may say how long it has left. Its first seconds go to listing the groups and finding
// where Tencent's history begins, so a pace measured then is a guess (issue 15: "78 s" for a 3-second job): the
// estimate appears once the backup has run ETA_AFTER_MS — at that moment, even if no progress event comes then.

import type { BackupProgress } from '../../../../app/ipc/contract';
import { systemClock, type UiClock } from './clock';

export const ETA_AFTER_MS = 3000;

export class TimeLeft {
  /** The backup has run long enough for its pace to mean something. */
  settled = $state(false);
  private timer: unknown;

  constructor(private readonly clock: UiClock = systemClock) {}

  /** Seconds left to show, or undefined: not yet known, or too early to say. */
  seconds(progress: BackupProgress | undefined): number | undefined {
    return this.settled ? progress?.etaSeconds : undefined;
  }

  /** A progress event: how long the backup has run, by the engine's own count (right after a reload too). */
  observe(progress: BackupProgress | undefined): void {
    if (!progress) return this.reset();
    if (this.settled) return;
    const left = ETA_AFTER_MS - progress.elapsedMs;
    if (left <= 0) return this.settle();
    this.cancelTimer();
    this.timer = this.clock.setTimeout(() => this.settle(), left);
  }

  /** A new backup (or none): its pace is measured afresh. */
  reset(): void {
    this.cancelTimer();
    this.settled = false;
  }

  private settle(): void {
    this.cancelTimer();
    this.settled = true;
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
