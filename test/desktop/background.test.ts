// Backups that run by themselves while the window is closed, with a FakeClock and a worker double that behaves as
// the worker does (one backup per profile, 'busy' otherwise; a cancel ends the backup with a 'cancelled' summary
// after saving; the run's start is in the history the next scheduledProfiles reads): scheduled slots, a
// backup paused by sleep and continued on wake, a slot missed while asleep run once on wake, nothing started
// while asleep, "Back up now" joining a running backup, and what is told when.
import { describe, expect, it } from 'vitest';
import { judge } from '../../app/coverage/verdict';
import { BackgroundBackups } from '../../app/desktop/background';
import { desktopWords } from '../../app/desktop/words';
import type { ArgsOf, Events, GroupEntry, GroupStatus, NavigateTarget, Result, ValueOf, WorkerOperation } from '../../app/ipc/contract';
import type { GroupState } from '../../app/engine/progress';
import { HOUR } from '../../app/schedule/schedule';
import type { WorkerEvent } from '../../app/worker/protocol';
import { FakeClock, settle } from '../schedule/fake-clock';

const T0 = Date.parse('2026-06-01T00:00:00Z');
const zero = { messages: 0, archived: 0, recalled: 0, placeholders: 0, absent: 0, failed: 0, expired: 0, notYetFetched: 0, missing: 0 };

interface Backup {
  backupId: string;
  profile: string;
  args: ArgsOf<'startBackup'>[0];
  at: number;
}

class WorkerDouble {
  readonly calls: { op: WorkerOperation; args: unknown[] }[] = [];
  readonly backups: Backup[] = [];
  private readonly running = new Map<string, Backup>();
  private readonly listeners = new Set<(e: WorkerEvent) => void>();
  /** Each profile's schedule; its last start is recorded as a backup starts, as the archive's runs table does. */
  readonly profiles = new Map<string, { schedule?: { kind: 'interval'; hours: number }; lastStartedAt?: number; deadlineDueAt?: number }>();
  /** What listGroups('archive') answers: the streams' verdicts. */
  groups: GroupEntry[] = [];
  startError: Result<never> | undefined;
  /** What runHistory answers per profile (the archive's runs, newest first). */
  readonly history = new Map<string, { outcome: string; startedAt: number; finishedAt?: number }[]>();
  /** Holds startBackup's answer until it resolves (a worker busy opening the archive). */
  startGate: Promise<void> | undefined;
  /** What overview answers: the groups with their deadlines. */
  overviewGroups: GroupStatus[] = [];

  constructor(private readonly clock: FakeClock) {}

  onEvent(listener: (e: WorkerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<K extends keyof Events>(name: K, payload: Events[K]): void {
    for (const l of this.listeners) l({ type: 'event', name, payload } as WorkerEvent);
  }

  async call<K extends WorkerOperation>(op: K, ...args: ArgsOf<K>): Promise<Result<ValueOf<K>>> {
    this.calls.push({ op, args });
    const ok = (value: unknown) => ({ ok: true, value }) as Result<ValueOf<K>>;
    switch (op) {
      case 'scheduledProfiles':
        return ok([...this.profiles].map(([profile, p]) => ({ profile, ...p })));
      case 'startBackup': {
        const a = args[0] as ArgsOf<'startBackup'>[0];
        await this.startGate;
        if (this.startError) return this.startError;
        if (this.running.has(a.profile)) return { ok: false, error: { kind: 'busy', message: 'A backup is already running.' } };
        return ok(this.begin(a));
      }
      case 'cancelBackup': {
        const { profile } = args[0] as { profile: string };
        const b = this.running.get(profile);
        // The engine saves what it fetched, records the run as cancelled, then answers.
        if (b) this.finish(profile, 'cancelled', { g1: 'done', g2: 'fetching', g3: 'queued' });
        return ok(undefined);
      }
      case 'listGroups':
        return ok(this.groups);
      case 'listProfiles':
        return ok([...this.profiles.keys()].map((name) => ({ name })));
      case 'runHistory': {
        const { profile } = args[0] as { profile: string };
        return ok(this.history.get(profile) ?? []);
      }
      case 'overview':
        // As app/schedule's overview judges it: expiring soon when under a day away, now.
        return ok({ retentionDays: 7, groups: this.overviewGroups.map((g) => ({ ...g, attention: g.deadline.expiresAt! - this.clock.now() < 24 * HOUR ? ['expiring-soon'] : [] })) });
      default:
        throw new Error(`unexpected ${op}`);
    }
  }

  /** A backup the window started (not through the scheduler). */
  begin(args: ArgsOf<'startBackup'>[0]): { backupId: string; groups: number } {
    const b = { backupId: `b${this.backups.length + 1}`, profile: args.profile, args, at: this.clock.now() };
    this.backups.push(b);
    this.running.set(args.profile, b);
    const p = this.profiles.get(args.profile) ?? {};
    this.profiles.set(args.profile, { ...p, lastStartedAt: this.clock.now() });
    queueMicrotask(() => this.emit('backupProgress', { profile: args.profile, backupId: b.backupId, progress: { groups: [], windowsTotal: 0, windowsDone: 0, windowsFailed: 0, requests: 0, retries: 0, rateLimited: 0, messagesStored: 0, elapsedMs: 0, requestsPerSecond: 0, messagesPerSecond: 0 } as never }));
    return { backupId: b.backupId, groups: args.groups.length };
  }

  finish(profile: string, outcome: Events['backupDone']['summary']['outcome'], states: Record<string, GroupState> = { g1: 'done' }): void {
    const b = this.running.get(profile)!;
    this.running.delete(profile);
    const groups = Object.entries(states).map(([groupId, state]) => ({ groupId, state, windowsTotal: 2, windowsDone: 1, windowsFailed: 0, messagesStored: 5, failedRanges: [] }));
    this.emit('backupDone', { profile, backupId: b.backupId, summary: { outcome, groups, requests: 1, retries: 0, rateLimited: 0, messagesStored: 5, windowsDone: 1, windowsFailed: 0, elapsedMs: 1 } });
  }

  isRunning(profile: string): boolean {
    return this.running.has(profile);
  }
}

function setup(opts: { watching?: boolean; quiet?: string[] } = {}) {
  const clock = new FakeClock(T0);
  const worker = new WorkerDouble(clock);
  const notices: { title: string; body: string; target: NavigateTarget }[] = [];
  const log: string[] = [];
  const bg = new BackgroundBackups({
    worker,
    clock,
    lang: () => 'en',
    notify: (n) => notices.push(n),
    quiet: (profile) => opts.quiet?.includes(profile) === true,
    watching: () => opts.watching ?? false,
    log: (l) => log.push(l),
  });
  return { clock, worker, notices, log, bg };
}

describe('scheduled backups with the window closed', () => {
  it('start at each slot with the "scheduled" trigger, and one missed while the app was closed starts at launch', async () => {
    const { clock, worker, bg } = setup();
    worker.profiles.set('Work', { schedule: { kind: 'interval', hours: 6 }, lastStartedAt: T0 - 8 * HOUR });
    worker.profiles.set('Manual only', {});
    await bg.start();
    await settle();
    expect(worker.backups.map((b) => [b.profile, b.args.trigger, b.at])).toEqual([['Work', 'scheduled', T0]]);
    worker.finish('Work', 'ok');
    await clock.advance(6 * HOUR - 1);
    expect(worker.backups).toHaveLength(1);
    await clock.advance(1);
    expect(worker.backups.map((b) => b.at)).toEqual([T0, T0 + 6 * HOUR]);
    bg.stop();
  });

  it('a scheduled backup that went well is quiet; one that left a group incomplete says so, from the archive’s verdict', async () => {
    const { clock, worker, notices, bg } = setup();
    worker.profiles.set('Work', { schedule: { kind: 'interval', hours: 6 }, lastStartedAt: T0 - 6 * HOUR });
    worker.groups = [{ groupId: 'g1', name: 'Product', canBackUp: true, archive: { messages: 5, failedSeqs: 0, missingSeqs: 0, completeness: judge({ ...zero, messages: 5, archived: 5 }, true, undefined) } }];
    await bg.start();
    worker.finish('Work', 'ok');
    await settle();
    expect(notices).toEqual([]);
    expect(bg.lastBackups().get('Work')).toEqual({ outcome: 'ok', at: T0 });

    worker.groups = [{ groupId: 'g1', name: 'Product', canBackUp: true, archive: { messages: 5, failedSeqs: 3, missingSeqs: 3, completeness: judge({ ...zero, messages: 5, archived: 5, failed: 3, missing: 3 }, true, undefined) } }];
    await clock.advance(6 * HOUR);
    worker.finish('Work', 'partial');
    await settle();
    expect(notices).toEqual([{ title: desktopWords('en').notice.gapsTitle, body: expect.stringContaining('Product: Incomplete: 3 messages are not archived; fetching 3 of them failed.'), target: { profile: 'Work', screen: 'coverage', groups: [{ groupId: 'g1' }] } }]);
    bg.stop();
  });

  it('a scheduled backup that cannot start is told once per cause, not at every retry', async () => {
    const { clock, worker, notices, log, bg } = setup();
    worker.profiles.set('Work', { schedule: { kind: 'interval', hours: 1 } });
    worker.startError = { ok: false, error: { kind: 'no-secret-key', message: 'No SecretKey saved for "Work".' } };
    await bg.start();
    await settle();
    await clock.advance(3 * HOUR);
    expect(notices).toEqual([{ title: 'Backup failed', body: `Work: ${desktopWords('en').notice.stopCause['no-secret-key']}`, target: { profile: 'Work', screen: 'setup' } }]);
    expect(log.filter((l) => l.includes('could not start')).length).toBeGreaterThan(1);
    bg.stop();
  });
});

describe('at launch', () => {
  it('the tray learns how each profile’s last backup went, from the archives’ run history', async () => {
    const { worker, bg } = setup();
    worker.profiles.set('Work', {});
    worker.profiles.set('New', {});
    worker.profiles.set('Interrupted', {});
    worker.history.set('Work', [{ outcome: 'partial', startedAt: T0 - 2 * HOUR, finishedAt: T0 - HOUR }]);
    worker.history.set('Interrupted', [{ outcome: 'running', startedAt: T0 - HOUR }]);
    await bg.start();
    await settle();
    expect([...bg.lastBackups()]).toEqual([['Work', { outcome: 'partial', at: T0 - HOUR }]]);
    bg.stop();
  });
});

describe('the computer sleeping', () => {
  it('pauses a running backup (saved, not told as stopped) and continues it on wake with its unfinished groups', async () => {
    const { clock, worker, notices, bg } = setup();
    worker.profiles.set('Work', { schedule: { kind: 'daily', at: '02:00' } as never, lastStartedAt: T0 - 30 * HOUR });
    await bg.start();
    await settle();
    expect(worker.backups).toHaveLength(1);
    expect(bg.running()).toEqual(['Work']);

    await bg.suspend();
    expect(worker.isRunning('Work')).toBe(false);
    expect(worker.calls.filter((c) => c.op === 'cancelBackup')).toHaveLength(1);
    expect(notices).toEqual([]);
    // Asleep: no timer runs a backup, however long.
    clock.sleep(3 * HOUR);
    await settle();
    expect(worker.backups).toHaveLength(1);

    await bg.resume();
    await settle();
    expect(worker.backups).toHaveLength(2);
    // The groups the paused backup had not finished, under the trigger that started it.
    expect(worker.backups[1]!.args).toEqual({ profile: 'Work', groups: [{ groupId: 'g2' }, { groupId: 'g3' }], trigger: 'scheduled' });
    expect(worker.backups[1]!.at).toBe(T0 + 3 * HOUR);
    expect(notices).toEqual([{ title: 'Backup continues', body: 'Work: the backup stopped while the computer slept and is continuing now.', target: { profile: 'Work', screen: 'backup' } }]);
    bg.stop();
  });

  it('a slot missed while asleep runs once on wake, not once per missed slot', async () => {
    const { clock, worker, bg } = setup();
    worker.profiles.set('Work', { schedule: { kind: 'interval', hours: 2 }, lastStartedAt: T0 - HOUR });
    await bg.start();
    await bg.suspend();
    clock.sleep(10 * HOUR);
    await clock.advance(0);
    expect(worker.backups).toHaveLength(0);
    await bg.resume();
    await settle();
    expect(worker.backups.map((b) => [b.at, b.args.trigger])).toEqual([[T0 + 10 * HOUR, 'scheduled']]);
    worker.finish('Work', 'ok');
    await clock.advance(2 * HOUR - 1);
    expect(worker.backups).toHaveLength(1);
    await clock.advance(1);
    expect(worker.backups).toHaveLength(2);
    bg.stop();
  });

  it('a backup the person started in the window is paused and continued as theirs', async () => {
    const { worker, bg } = setup();
    worker.profiles.set('Work', {});
    await bg.start();
    worker.begin({ profile: 'Work', groups: [{ groupId: 'g2' }, { groupId: 'g3' }] });
    await settle();
    expect(bg.running()).toEqual(['Work']);
    await bg.suspend();
    await bg.resume();
    await settle();
    expect(worker.backups[1]!.args).toEqual({ profile: 'Work', groups: [{ groupId: 'g2' }, { groupId: 'g3' }], trigger: 'manual' });
    bg.stop();
  });
});

describe('the computer sleeping while a backup is being started', () => {
  it('stops it as soon as it has started, and continues it on wake', async () => {
    const { worker, bg } = setup();
    worker.profiles.set('Work', {});
    await bg.start();
    let open!: () => void;
    worker.startGate = new Promise((r) => (open = r));
    void bg.backUpNow('Work');
    await settle();
    let asleep = false;
    void bg.suspend().then(() => (asleep = true));
    await settle();
    expect(asleep).toBe(false);
    open();
    await settle();
    expect(asleep).toBe(true);
    expect(worker.isRunning('Work')).toBe(false);
    worker.startGate = undefined;
    await bg.resume();
    await settle();
    expect(worker.backups.map((b) => b.args)).toEqual([
      { profile: 'Work', groups: [], trigger: 'manual' },
      { profile: 'Work', groups: [{ groupId: 'g2' }, { groupId: 'g3' }], trigger: 'manual' },
    ]);
    bg.stop();
  });

  it('a wake with no sleep before it (some systems send only that) still runs what fell due', async () => {
    const { clock, worker, bg } = setup();
    worker.profiles.set('Work', { schedule: { kind: 'interval', hours: 2 }, lastStartedAt: T0 - HOUR });
    await bg.start();
    clock.sleep(5 * HOUR);
    await bg.resume();
    await settle();
    expect(worker.backups.map((b) => b.at)).toEqual([T0 + 5 * HOUR]);
    bg.stop();
  });
});

describe('"Back up now" from the tray', () => {
  it('starts a manual backup, or joins the one the window started', async () => {
    const { worker, bg, notices } = setup({ watching: false });
    worker.profiles.set('Work', {});
    await bg.start();
    worker.begin({ profile: 'Work', groups: [] });
    await settle();
    let joinedEnded = false;
    void bg.backUpNow('Work').then(() => (joinedEnded = true));
    await settle();
    expect(worker.backups).toHaveLength(1);
    worker.finish('Work', 'ok');
    await settle();
    expect(joinedEnded).toBe(true);

    const done = bg.backUpNow('Work');
    await settle();
    expect(worker.backups[1]!.args).toEqual({ profile: 'Work', groups: [], trigger: 'manual' });
    worker.finish('Work', 'ok');
    await done;
    await settle();
    // The person started it and is not watching the window: told how it went.
    expect(notices.at(-1)?.title).toBe('Backup complete');
    bg.stop();
  });
});

describe('notifications turned off for a profile', () => {
  it('tell nothing of its backups, failures or wake, while other profiles are told', async () => {
    const { clock, worker, notices, bg } = setup({ quiet: ['Quiet'] });
    worker.profiles.set('Quiet', { schedule: { kind: 'interval', hours: 1 }, lastStartedAt: T0 - HOUR });
    worker.groups = [{ groupId: 'g1', name: 'Product', canBackUp: true, archive: { messages: 5, failedSeqs: 3, missingSeqs: 3, completeness: judge({ ...zero, messages: 5, archived: 5, failed: 3, missing: 3 }, true, undefined) } }];
    await bg.start();
    await settle();
    await bg.suspend();
    await bg.resume();
    await settle();
    worker.finish('Quiet', 'partial');
    await settle();
    worker.startError = { ok: false, error: { kind: 'credentials', message: 'Refused.' } };
    await clock.advance(2 * HOUR);
    expect(worker.backups.length).toBeGreaterThan(1);
    expect(notices).toEqual([]);

    worker.startError = undefined;
    worker.profiles.set('Loud', { schedule: { kind: 'interval', hours: 1 }, lastStartedAt: T0 });
    await bg.wake();
    await settle();
    worker.finish('Loud', 'partial');
    await settle();
    expect(notices.map((n) => n.title)).toEqual([desktopWords('en').notice.gapsTitle]);
    bg.stop();
  });
});

describe('a deadline with no schedule to meet it', () => {
  const expiring = (expiresAt: number): GroupStatus => ({ groupId: 'g1', name: 'Product', deadline: { basis: 'up-to-date', expiresAt, dueAt: expiresAt - 6 * HOUR }, attention: [] });

  it('is told once per deadline, in the person’s words, as the clock reaches a day before it', async () => {
    const { clock, worker, notices, bg } = setup();
    const expiresAt = T0 + 30 * HOUR;
    worker.profiles.set('By hand', { lastStartedAt: T0 - 5 * 24 * HOUR, deadlineDueAt: expiresAt - 6 * HOUR });
    worker.overviewGroups = [expiring(expiresAt)];
    await bg.start();
    await settle();
    // More than a day before it expires: nothing yet.
    expect(notices).toEqual([]);
    await clock.advance(5 * HOUR);
    expect(notices).toEqual([]);
    // Within a day: told, once, however often the scheduler looks.
    await clock.advance(2 * HOUR);
    expect(notices).toEqual([{ title: 'Messages may soon be deleted at Tencent', body: expect.stringContaining('By hand: the oldest messages not archived in Product may be deleted at Tencent from'), target: { profile: 'By hand', screen: 'overview' } }]);
    await clock.advance(3 * HOUR);
    expect(notices).toHaveLength(1);
    expect(worker.backups).toHaveLength(0);
    // A later deadline (a backup moved it, and it is near again) is told again.
    worker.overviewGroups = [expiring(expiresAt + 2 * HOUR)];
    await clock.advance(HOUR);
    expect(notices).toHaveLength(2);
    bg.stop();
  });

  it('is left to the backup of a scheduled profile, whose end says what it did not fetch', async () => {
    const { clock, worker, notices, bg } = setup();
    worker.profiles.set('Scheduled', { schedule: { kind: 'interval', hours: 24 }, lastStartedAt: T0 - HOUR, deadlineDueAt: T0 + 2 * HOUR });
    worker.overviewGroups = [expiring(T0 + 8 * HOUR)];
    await bg.start();
    await clock.advance(HOUR);
    expect(notices).toEqual([]);
    bg.stop();
  });
});
