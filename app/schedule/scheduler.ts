// Runs each profile's scheduled backups: at launch and on wake it starts the ones that fell due meanwhile, then
// sleeps until the next one. It keeps no state of its own that matters: when the last backup started comes from
// the archives' run history (through the host), so a restart, a crash or a week with the lid closed changes nothing.

import type { RunTrigger } from '../archive';
import { type Clock, MAX_TIMER_MS, systemClock } from './clock';
import { type DueFacts, nextRun } from './schedule';
import type { ProfileDue } from './types';

export interface SchedulerHost {
  /** Every profile's schedule and history facts, read afresh at each look (settings and archives change): the worker's scheduledProfiles. */
  facts(): Promise<ProfileDue[]>;
  /** One backup of the profile, to its end. Its failures are its outcome (in the run history), not the scheduler's. */
  run(profile: string, trigger: RunTrigger): Promise<void>;
  /** A look at the facts failed (settings unreadable, an archive missing); the scheduler tries again later. */
  onError?(err: unknown): void;
}

export interface RunRequest {
  /** False when a backup of the profile was already running: `done` is that one's end. */
  started: boolean;
  done: Promise<void>;
}

export class Scheduler {
  private readonly running = new Map<string, Promise<void>>();
  /**
   * When this scheduler last started each profile's backup: the history the host reads may lag behind a run that
   * has just ended (or not be written yet), and must never make it start a second time.
   */
  private readonly startedAt = new Map<string, number>();
  private cancelTimer: (() => void) | undefined;
  private looking: Promise<void> = Promise.resolve();
  private active = false;

  constructor(
    private readonly host: SchedulerHost,
    private readonly clock: Clock = systemClock,
  ) {}

  /** At launch: starts every backup missed while the app was closed, then keeps time. */
  start(): Promise<void> {
    this.active = true;
    return this.look();
  }

  /**
   * After the computer wakes, the time zone or the clock changes, or a schedule is edited: starts what fell due
   * meanwhile and sets the next wake-up.
   */
  wake(): Promise<void> {
    return this.look();
  }

  /** No new scheduled backups; running ones go on (the host cancels them if it must). */
  stop(): void {
    this.active = false;
    this.clearTimer();
  }

  /** "Back up now": always accepted; while the profile's backup runs, it is that backup. */
  runNow(profile: string, trigger: RunTrigger = 'manual'): RunRequest {
    const running = this.running.get(profile);
    if (running) return { started: false, done: running };
    return { started: true, done: this.launch(profile, trigger) };
  }

  isRunning(profile: string): boolean {
    return this.running.has(profile);
  }

  /** Looks one at a time: two overlapping looks could each see a profile as due. */
  private look(): Promise<void> {
    this.looking = this.looking.then(() => this.lookOnce());
    return this.looking;
  }

  private async lookOnce(): Promise<void> {
    if (!this.active) return;
    this.clearTimer();
    let wakeAt = this.clock.now() + MAX_TIMER_MS;
    try {
      const facts = await this.host.facts();
      const now = this.clock.now();
      const zone = this.clock.timeZone();
      for (const { profile, ...f } of facts) {
        if (this.running.has(profile)) continue;
        const next = nextRun(this.withOwnStarts(profile, f), now, zone);
        if (!next) continue;
        if (next.at <= now) this.launch(profile, 'scheduled');
        else wakeAt = Math.min(wakeAt, next.at);
      }
    } catch (err) {
      this.host.onError?.(err);
    }
    if (!this.active) return;
    this.clearTimer();
    this.cancelTimer = this.clock.setTimer(Math.max(0, wakeAt - this.clock.now()), () => void this.look());
  }

  private withOwnStarts(profile: string, f: DueFacts): DueFacts {
    const own = this.startedAt.get(profile);
    if (own === undefined || (f.lastStartedAt !== undefined && f.lastStartedAt >= own)) return f;
    return { ...f, lastStartedAt: own };
  }

  private launch(profile: string, trigger: RunTrigger): Promise<void> {
    this.startedAt.set(profile, this.clock.now());
    let run: Promise<void>;
    try {
      run = this.host.run(profile, trigger);
    } catch (err) {
      run = Promise.reject(err);
    }
    const done = run
      .catch((err: unknown) => this.host.onError?.(err))
      .finally(() => {
        this.running.delete(profile);
        // Its end moves the profile's next slot (and its deadlines).
        void this.look();
      });
    this.running.set(profile, done);
    return done;
  }

  private clearTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }
}
