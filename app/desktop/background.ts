// Backups that run by themselves while the app sits in the tray: the main process's one Scheduler
// (app/schedule), fed by the worker; the pause of a running backup while the computer sleeps and its resumption on
// wake; and the notification at each backup's end (./notices.ts). Electron-free: main hands in the worker and
// small functions for what Electron does (notify, "is the window watched"), tests hand in doubles and a FakeClock.

import type { Lang } from '../export/i18n';
import type { ArgsOf, Events, GroupStatus, NavigateTarget, ProfileDue, Result, RunTrigger, ValueOf, WorkerOperation } from '../ipc/contract';
import type { Clock } from '../schedule/clock';
import { Scheduler, type SchedulerHost } from '../schedule/scheduler';
import type { WorkerEvent } from '../worker/protocol';
import { DAY } from '../schedule/deadline';
import { backupNotice, deadlineNotice, explainingScreen, type Notice, shouldNotify, type StreamVerdict } from './notices';
import { desktopWords, type StopCause } from './words';

/** The worker as main holds it (app/worker/client.ts). */
export interface BackgroundWorker {
  call<K extends WorkerOperation>(op: K, ...args: ArgsOf<K>): Promise<Result<ValueOf<K>>>;
  onEvent(listener: (e: WorkerEvent) => void): () => void;
}

export interface BackgroundHost {
  worker: BackgroundWorker;
  clock: Clock;
  /** The UI language now (the window's setting). */
  lang(): Lang;
  /** An OS notification; a click on it opens the window on `target`, the screen that explains it. */
  notify(notice: { title: string; body: string; target: NavigateTarget }): void;
  /** The person turned this profile's notifications off. */
  quiet(profile: string): boolean;
  /** The window is open and has focus: a person is watching the app. */
  watching(): boolean;
  log(line: string): void;
  /** What the tray shows has changed (a backup started or ended). */
  changed?(): void;
}

/** A backup shorter than this ends without a notification for someone watching the window. */
export const NOTIFY_AFTER_MS = 20_000;

type StreamRef = { groupId: string; topicId?: string };

interface LiveRun {
  backupId?: string;
  trigger: RunTrigger;
  startedAt: number;
  /** Stopped because the computer went to sleep: started again on wake. */
  paused: boolean;
}

export interface LastBackup {
  outcome: Events['backupDone']['summary']['outcome'];
  at: number;
}

export class BackgroundBackups {
  readonly scheduler: Scheduler;
  private readonly live = new Map<string, LiveRun>();
  /** Per profile, who waits for its running backup's end. */
  private readonly ends = new Map<string, Set<() => void>>();
  private readonly last = new Map<string, LastBackup>();
  /** Per profile, the streams a backup paused by sleep had not finished, and what started it: resumed on wake. */
  private readonly resumeWith = new Map<string, { groups: StreamRef[]; trigger: RunTrigger }>();
  /** A scheduled backup that could not even start is told once per cause, not at every retry. */
  private readonly startFailures = new Map<string, string>();
  /** Per profile, the deadline (its earliest expiresAt) a warning was shown for. */
  private readonly warned = new Map<string, number>();
  private readonly unsubscribe: () => void;
  private asleep = false;
  private pausing: Promise<unknown> = Promise.resolve();

  constructor(private readonly host: BackgroundHost) {
    const schedulerHost: SchedulerHost = {
      facts: () => this.facts(),
      run: (profile, trigger) => this.run(profile, trigger),
      onError: (err) => host.log(`scheduled backups: ${err instanceof Error ? err.message : String(err)}`),
    };
    this.scheduler = new Scheduler(schedulerHost, host.clock);
    this.unsubscribe = host.worker.onEvent((e) => this.onEvent(e));
  }

  /** At launch: backups missed while the app was closed start now; the tray learns how each profile's last one went. */
  start(): Promise<void> {
    void this.readLastBackups().catch((err: unknown) => this.host.log(`the last backups could not be read: ${err instanceof Error ? err.message : String(err)}`));
    return this.scheduler.start();
  }

  private async readLastBackups(): Promise<void> {
    const profiles = await this.host.worker.call('listProfiles');
    if (!profiles.ok) return;
    for (const { name } of profiles.value) {
      const runs = await this.host.worker.call('runHistory', { profile: name, limit: 1 });
      const run = runs.ok ? runs.value[0] : undefined;
      if (!run || run.outcome === 'running' || this.last.has(name)) continue;
      this.last.set(name, { outcome: run.outcome, at: run.finishedAt ?? run.startedAt });
    }
    this.host.changed?.();
  }

  stop(): void {
    this.scheduler.stop();
    this.unsubscribe();
  }

  /** The tray's "Back up now": joins the profile's running backup if there is one. */
  backUpNow(profile: string): Promise<void> {
    return this.scheduler.runNow(profile, 'manual').done;
  }

  /** A schedule was edited, the time zone or the clock changed, the screen was unlocked. */
  wake(): Promise<void> {
    return this.asleep ? Promise.resolve() : this.scheduler.wake();
  }

  running(): string[] {
    return [...this.live.keys()];
  }

  lastBackups(): ReadonlyMap<string, LastBackup> {
    return this.last;
  }

  /**
   * The computer is going to sleep: no backup starts, and each running one stops after saving what it fetched
   * (a connection cut by sleep would only fail its requests). Resolves once every one has stopped.
   */
  suspend(): Promise<void> {
    this.asleep = true;
    this.scheduler.stop();
    const stopping = [...this.live].map(([profile, run]) => {
      run.paused = true;
      const ended = this.nextEnd(profile);
      return this.host.worker.call('cancelBackup', { profile }).then(() => ended.promise);
    });
    this.pausing = Promise.all(stopping);
    return this.pausing.then(() => undefined);
  }

  /** Awake again: the paused backups continue (the archive knows what they had), then what fell due meanwhile. */
  async resume(): Promise<void> {
    // (a resume without a suspend before it: only what fell due)
    if (!this.asleep) return this.scheduler.wake();
    await this.pausing;
    this.asleep = false;
    const resumed = [...this.resumeWith.keys()];
    const w = desktopWords(this.host.lang()).notice;
    for (const profile of resumed) {
      void this.scheduler.runNow(profile, this.resumeWith.get(profile)!.trigger);
      if (!this.host.watching() && !this.host.quiet(profile)) this.host.notify({ title: w.resumedTitle, body: w.resumed(profile), target: explainingScreen(profile, { kind: 'resumed' }) });
    }
    await this.scheduler.start();
  }

  private async facts(): Promise<ProfileDue[]> {
    const facts = unwrap(await this.host.worker.call('scheduledProfiles'));
    void this.watchDeadlines(facts).catch((err: unknown) => this.host.log(`deadlines could not be checked: ${err instanceof Error ? err.message : String(err)}`));
    return facts;
  }

  /**
   * A profile without a schedule has nobody to back it up before a deadline: when one is under a day away, the
   * person is told (once per deadline). A scheduled profile's backup meets it, and its end tells what it did not.
   */
  private async watchDeadlines(facts: ProfileDue[]): Promise<void> {
    const now = this.host.clock.now();
    for (const f of facts) {
      if (f.schedule || f.deadlineDueAt === undefined || f.deadlineDueAt > now + DAY || this.live.has(f.profile) || this.host.quiet(f.profile)) continue;
      const overview = await this.host.worker.call('overview', { profile: f.profile });
      if (!overview.ok) continue;
      const notice = deadlineNotice(f.profile, overview.value.groups, this.host.lang(), this.host.clock.timeZone());
      if (!notice || this.warned.get(f.profile) === notice.expiresAt) continue;
      this.warned.set(f.profile, notice.expiresAt);
      this.host.notify({ title: notice.title, body: notice.body, target: notice.target });
    }
  }

  /** One backup to its end, for the scheduler (scheduled, "Back up now" from the tray, a resumed one). */
  private async run(profile: string, trigger: RunTrigger): Promise<void> {
    const groups = this.resumeWith.get(profile)?.groups ?? [];
    this.resumeWith.delete(profile);
    const ended = this.nextEnd(profile);
    // Registered before asking: the backup's first progress event may arrive before the answer.
    const mine: LiveRun | undefined = this.live.has(profile) ? undefined : { trigger, startedAt: this.host.clock.now(), paused: false };
    if (mine) this.live.set(profile, mine);
    const started = await this.host.worker.call('startBackup', { profile, groups, trigger: trigger === 'cli' ? 'manual' : trigger });
    if (!started.ok) {
      if (mine && this.live.get(profile) === mine && mine.backupId === undefined) this.live.delete(profile);
      // Someone started one in the window meanwhile: that backup is this one.
      if (started.error.kind === 'busy') return ended.promise;
      ended.cancel();
      this.startFailed(profile, trigger, started.error.kind);
      throw new Error(`the backup of "${profile}" could not start: ${started.error.message}`);
    }
    this.startFailures.delete(profile);
    if (mine) mine.backupId ??= started.value.backupId;
    // The computer went to sleep while the worker was starting it: it stops at once, and continues on wake.
    if (this.asleep && mine?.paused) void this.host.worker.call('cancelBackup', { profile });
    this.host.changed?.();
    return ended.promise;
  }

  private startFailed(profile: string, trigger: RunTrigger, kind: string): void {
    if (trigger !== 'scheduled' || this.startFailures.get(profile) === kind || this.host.quiet(profile)) return;
    this.startFailures.set(profile, kind);
    const w = desktopWords(this.host.lang()).notice;
    const cause = (w.stopCause as Record<string, string>)[kind as StopCause];
    this.host.notify({ title: w.failedTitle, body: cause !== undefined ? w.failedBecause(profile, cause) : w.failed(profile), target: explainingScreen(profile, { kind: 'cannot-start', cause: kind }) });
  }

  /** The end of the profile's running (or starting) backup; `cancel` when there will be none. */
  private nextEnd(profile: string): { promise: Promise<void>; cancel(): void } {
    let waiter!: () => void;
    const promise = new Promise<void>((resolve) => (waiter = resolve));
    const waiting = this.ends.get(profile) ?? new Set();
    waiting.add(waiter);
    this.ends.set(profile, waiting);
    return { promise, cancel: () => waiting.delete(waiter) };
  }

  private onEvent(e: WorkerEvent): void {
    if (e.name === 'backupProgress') {
      const { profile, backupId } = e.payload;
      if (!this.live.has(profile)) {
        // Started in the window: a person's backup.
        this.live.set(profile, { backupId, trigger: 'manual', startedAt: this.host.clock.now(), paused: false });
        this.host.changed?.();
      } else this.live.get(profile)!.backupId ??= backupId;
    }
    if (e.name === 'backupDone') void this.ended(e.payload);
  }

  private async ended(done: Events['backupDone']): Promise<void> {
    const run = this.live.get(done.profile);
    this.live.delete(done.profile);
    this.last.set(done.profile, { outcome: done.summary.outcome, at: this.host.clock.now() });
    const paused = run?.paused === true && done.summary.outcome === 'cancelled';
    const unfinished = done.summary.groups.filter((g) => g.state !== 'done' && g.state !== 'skipped');
    // (an empty list would mean "every group" to startBackup)
    if (paused && unfinished.length > 0) {
      this.resumeWith.set(done.profile, { groups: unfinished.map((g) => (g.topicId ? { groupId: g.groupId, topicId: g.topicId } : { groupId: g.groupId })), trigger: run.trigger });
    }
    for (const resolve of this.ends.get(done.profile) ?? []) resolve();
    this.ends.delete(done.profile);
    this.host.changed?.();
    if (paused || this.host.quiet(done.profile)) return;
    try {
      const { notice, groups } = await this.notice(done);
      // The deadline it warns of (if any) is not warned of again by the watch.
      const deadline = deadlineNotice(done.profile, groups, this.host.lang(), this.host.clock.timeZone());
      if (deadline) this.warned.set(done.profile, deadline.expiresAt);
      const long = run !== undefined && this.host.clock.now() - run.startedAt >= NOTIFY_AFTER_MS;
      if (shouldNotify(notice, { trigger: run?.trigger ?? 'manual', focused: this.host.watching(), long, paused })) this.host.notify({ title: notice.title, body: notice.body, target: notice.target });
    } catch (err) {
      this.host.log(`the notification of the backup of "${done.profile}" could not be made: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** The end of a backup in words, with the archive's verdicts and deadlines as they stand after it. */
  private async notice(done: Events['backupDone']): Promise<{ notice: Notice; groups: GroupStatus[] }> {
    const [entries, overview] = await Promise.all([this.host.worker.call('listGroups', { profile: done.profile, source: 'archive' }), this.host.worker.call('overview', { profile: done.profile })]);
    const streams: StreamVerdict[] = entries.ok
      ? entries.value.flatMap((g) => (g.archive ? [{ groupId: g.groupId, ...(g.topicId ? { topicId: g.topicId } : {}), ...(g.name !== undefined ? { name: g.name } : {}), completeness: g.archive.completeness }] : []))
      : [];
    const groups: GroupStatus[] = overview.ok ? overview.value.groups : [];
    return { notice: backupNotice({ done, streams, groups, lang: this.host.lang(), timeZone: this.host.clock.timeZone() }), groups };
  }
}

function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
