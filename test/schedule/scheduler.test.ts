import { describe, expect, it } from 'vitest';
import type { RunTrigger } from '../../app/archive';
import { MAX_TIMER_MS } from '../../app/schedule/clock';
import { HOUR, type Schedule } from '../../app/schedule/schedule';
import type { ProfileDue } from '../../app/schedule/types';
import { Scheduler, type SchedulerHost } from '../../app/schedule/scheduler';
import { FakeClock, settle } from './fake-clock';

const T0 = Date.parse('2026-06-01T00:00:00Z');

/**
 * Profiles whose history is written the way the worker writes an archive's: a run's start is recorded when it
 * starts. Each run lasts until the test ends it.
 */
class Host implements SchedulerHost {
  readonly started: { profile: string; trigger: RunTrigger; at: number }[] = [];
  private readonly ends = new Map<string, () => void>();
  readonly history = new Map<string, number>();
  onError?: (err: unknown) => void;
  maxInFlight = new Map<string, number>();

  constructor(
    private readonly clock: FakeClock,
    readonly schedules: Map<string, Schedule>,
    readonly deadlines = new Map<string, number>(),
  ) {}

  async facts(): Promise<ProfileDue[]> {
    return [...this.schedules].map(([profile, schedule]) => ({ profile, schedule, lastStartedAt: this.history.get(profile), deadlineDueAt: this.deadlines.get(profile) }));
  }

  run(profile: string, trigger: RunTrigger): Promise<void> {
    this.started.push({ profile, trigger, at: this.clock.now() });
    this.history.set(profile, this.clock.now());
    const running = this.started.filter((s) => s.profile === profile).length - (this.finished.get(profile) ?? 0);
    this.maxInFlight.set(profile, Math.max(this.maxInFlight.get(profile) ?? 0, running));
    return new Promise((resolve) =>
      this.ends.set(profile, () => {
        this.finished.set(profile, (this.finished.get(profile) ?? 0) + 1);
        resolve();
      }),
    );
  }

  private readonly finished = new Map<string, number>();

  async finish(profile: string): Promise<void> {
    const end = this.ends.get(profile);
    this.ends.delete(profile);
    end?.();
    await settle();
  }
}

function setup(schedules: [string, Schedule][], opts: { zone?: string; history?: [string, number][] } = {}) {
  const clock = new FakeClock(T0, opts.zone ?? 'UTC');
  const host = new Host(clock, new Map(schedules));
  for (const [p, t] of opts.history ?? []) host.history.set(p, t);
  return { clock, host, scheduler: new Scheduler(host, clock) };
}

describe('Scheduler', () => {
  it('runs each profile at its due times with the scheduled trigger', async () => {
    const { clock, host, scheduler } = setup([['work', { kind: 'interval', hours: 6 }]], { history: [['work', T0]] });
    await scheduler.start();
    expect(host.started).toEqual([]);
    await clock.advance(6 * HOUR - 1);
    expect(host.started).toEqual([]);
    await clock.advance(1);
    expect(host.started).toEqual([{ profile: 'work', trigger: 'scheduled', at: T0 + 6 * HOUR }]);
    await host.finish('work');
    await clock.advance(6 * HOUR);
    expect(host.started.map((s) => s.at)).toEqual([T0 + 6 * HOUR, T0 + 12 * HOUR]);
  });

  it('catches up a backup missed while the app was closed at launch, once', async () => {
    // Last backup five days ago, daily at 02:00: four slots were missed while the app was closed.
    const { clock, host, scheduler } = setup([['work', { kind: 'daily', at: '02:00' }]], { history: [['work', T0 - 5 * 24 * HOUR]] });
    await scheduler.start();
    expect(host.started).toEqual([{ profile: 'work', trigger: 'scheduled', at: T0 }]);
    await host.finish('work');
    await clock.advance(2 * HOUR - 1);
    expect(host.started).toHaveLength(1);
    await clock.advance(1);
    expect(host.started.map((s) => s.at)).toEqual([T0, T0 + 2 * HOUR]);
  });

  it('catches up a backup missed while the computer slept, when it wakes', async () => {
    const { clock, host, scheduler } = setup([['work', { kind: 'daily', at: '02:00' }]], { history: [['work', T0 - HOUR]] });
    await scheduler.start();
    clock.sleep(30 * HOUR); // the lid was closed across 02:00
    expect(host.started).toEqual([]);
    await scheduler.wake();
    expect(host.started).toEqual([{ profile: 'work', trigger: 'scheduled', at: T0 + 30 * HOUR }]);
  });

  it('never sleeps longer than its look-again limit, so a moved clock or time zone is noticed', async () => {
    const { clock, scheduler } = setup([['work', { kind: 'interval', hours: 720 }]], { history: [['work', T0]] });
    await scheduler.start();
    expect(Math.max(...clock.requested)).toBeLessThanOrEqual(MAX_TIMER_MS);
    await clock.advance(3 * MAX_TIMER_MS);
    expect(clock.pending).toBe(1);
  });

  it('reads a daily time on the local clock of the moment: a change of time zone moves the next run', async () => {
    // The last backup ran at 09:00 in Shanghai (01:00Z); an hour later the person is in London (09:00 BST = 08:00Z).
    const { clock, host, scheduler } = setup([['work', { kind: 'daily', at: '09:00' }]], { zone: 'Asia/Shanghai', history: [['work', T0 + HOUR]] });
    clock.time = T0 + 2 * HOUR;
    await scheduler.start();
    clock.zone = 'Europe/London';
    await scheduler.wake();
    await clock.advance(6 * HOUR - 1);
    expect(host.started).toEqual([]);
    await clock.advance(1);
    expect(host.started).toEqual([{ profile: 'work', trigger: 'scheduled', at: T0 + 8 * HOUR }]);
  });

  it('never runs two backups of one profile at once; other profiles run meanwhile', async () => {
    const { clock, host, scheduler } = setup(
      [
        ['work', { kind: 'interval', hours: 1 }],
        ['home', { kind: 'interval', hours: 2 }],
      ],
      { history: [['work', T0], ['home', T0]] },
    );
    await scheduler.start();
    // "work" runs for five hours: its next slots fall due while it runs and must not start a second one.
    await clock.advance(HOUR);
    await clock.advance(4 * HOUR);
    await scheduler.wake();
    expect(host.started.filter((s) => s.profile === 'work')).toHaveLength(1);
    expect(host.started.filter((s) => s.profile === 'home').length).toBeGreaterThanOrEqual(1);
    expect(scheduler.runNow('work')).toMatchObject({ started: false });
    await host.finish('work');
    expect(host.maxInFlight.get('work')).toBe(1);
    // Its end counts from its start: the next slot (an hour after it started) is overdue, so it runs now.
    expect(host.started.filter((s) => s.profile === 'work')).toHaveLength(2);
  });

  it('"Back up now" always works: it starts a manual backup, or answers with the one already running', async () => {
    const { host, scheduler } = setup([['work', { kind: 'daily', at: '02:00' }]], { history: [['work', T0]] });
    await scheduler.start();
    const first = scheduler.runNow('work');
    expect(first.started).toBe(true);
    expect(scheduler.isRunning('work')).toBe(true);
    const second = scheduler.runNow('work');
    expect(second.started).toBe(false);
    await host.finish('work');
    await Promise.all([first.done, second.done]);
    expect(host.started).toEqual([{ profile: 'work', trigger: 'manual', at: T0 }]);
    // A profile without a schedule can be backed up by hand too.
    const unscheduled = new Scheduler(host, new FakeClock(T0));
    expect(unscheduled.runNow('elsewhere').started).toBe(true);
  });

  it('a manual backup moves an interval schedule: the next one is N hours after it', async () => {
    const { clock, host, scheduler } = setup([['work', { kind: 'interval', hours: 6 }]], { history: [['work', T0]] });
    await scheduler.start();
    await clock.advance(4 * HOUR);
    scheduler.runNow('work');
    await host.finish('work');
    await clock.advance(6 * HOUR - 1);
    expect(host.started.map((s) => s.trigger)).toEqual(['manual']);
    await clock.advance(1);
    expect(host.started.map((s) => [s.trigger, s.at])).toEqual([['manual', T0 + 4 * HOUR], ['scheduled', T0 + 10 * HOUR]]);
  });

  it('history that lags behind a finished run does not start it twice', async () => {
    const { clock, host, scheduler } = setup([['work', { kind: 'interval', hours: 6 }]], { history: [['work', T0 - 7 * HOUR]] });
    // An archive whose run record never arrives (the host forgets it): the scheduler still counts its own start.
    host.run = ((orig) => (profile: string, trigger: RunTrigger) => {
      const p = orig.call(host, profile, trigger);
      host.history.set(profile, T0 - 7 * HOUR);
      return p;
    })(host.run);
    await scheduler.start();
    await host.finish('work');
    await clock.advance(HOUR);
    expect(host.started).toHaveLength(1);
  });

  it('an overdue deadline after a failed backup is retried hourly, not in a loop', async () => {
    const { clock, host, scheduler } = setup([['work', { kind: 'daily', at: '02:00' }]], { history: [['work', T0]] });
    host.deadlines.set('work', T0 - HOUR);
    await scheduler.start();
    expect(host.started).toEqual([]);
    await clock.advance(HOUR);
    expect(host.started.map((s) => s.at)).toEqual([T0 + HOUR]);
    await host.finish('work');
    await clock.advance(HOUR - 1);
    expect(host.started).toHaveLength(1);
    await clock.advance(1);
    expect(host.started).toHaveLength(2);
    // Once a backup settles the deadline (it moves into the future), the schedule takes over again.
    host.deadlines.set('work', T0 + 10 * 24 * HOUR);
    await host.finish('work');
    await clock.advance(24 * HOUR);
    expect(host.started.map((s) => s.at)).toEqual([T0 + HOUR, T0 + 2 * HOUR, T0 + 26 * HOUR]);
  });

  it('stop() starts nothing more; a failing look at the settings is reported and tried again', async () => {
    const { clock, host, scheduler } = setup([['work', { kind: 'interval', hours: 1 }]], { history: [['work', T0]] });
    const errors: unknown[] = [];
    let broken = true;
    const facts = host.facts.bind(host);
    host.facts = () => (broken ? Promise.reject(new Error('settings unreadable')) : facts());
    host.onError = (err) => errors.push(err);
    await scheduler.start();
    expect(errors).toHaveLength(1);
    broken = false;
    await clock.advance(MAX_TIMER_MS);
    await clock.advance(HOUR);
    expect(host.started).toHaveLength(1);
    await host.finish('work');
    scheduler.stop();
    await clock.advance(10 * HOUR);
    expect(host.started).toHaveLength(1);
  });
});

describe('Scheduler across a daylight-saving change', () => {
  it('daily at 02:30 in New York: once on the night 02:30 does not exist (at 03:30), then at 02:30 again', async () => {
    const clock = new FakeClock(Date.parse('2026-03-07T12:00:00Z'), 'America/New_York');
    const host = new Host(clock, new Map([['work', { kind: 'daily', at: '02:30' } as Schedule]]));
    host.history.set('work', Date.parse('2026-03-07T07:30:00Z')); // 02:30 EST on the 7th
    const scheduler = new Scheduler(host, clock);
    await scheduler.start();
    for (let i = 0; i < 48; i++) {
      await clock.advance(HOUR);
      await host.finish('work');
    }
    expect(host.started.map((s) => new Date(s.at).toISOString())).toEqual(['2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z']);
  });
});
