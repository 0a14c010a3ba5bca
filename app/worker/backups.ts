// Backups running in the worker: at most one per profile. Starting checks what can be checked at once (the key,
// the archive's lock) and answers; the run itself goes on in the background and reports through events. Cancel
// (or shutdown) aborts the engine, which finishes the run record and commits, so the archive is consistent
// whichever way the run ends. A profile without an archive yet gets one only when the run has something to
// store: a run that fails on the key, the network or its groups leaves no file.

import { randomUUID } from 'node:crypto';
import type { Archive, RunStart } from '../archive';
import type { BackupSummary as EngineSummary } from '../engine/backup';
import { runBackup } from '../engine/backup';
import { isLoopbackEndpoint } from '../media/address';
import { policyOf } from '../media/policy';
import { listGroups } from '../engine/directory';
import type { RunProgress } from '../engine/progress';
import type { AppError, BackupProgress, BackupStarted, BackupSummary, Profile, RunningBackup } from '../ipc/contract';
import type { ImClient } from '../im/client';
import { stateOf } from '../engine/archive-file';
import type { ArchivePool } from './archives';
import type { Connections } from './connections';
import { type SecretScrubber, WorkerFailure } from './errors';
import type { Emit } from './protocol';

interface Running {
  backupId: string;
  abort: AbortController;
  finished: Promise<void>;
  /** Set once the run is under way: from then on it ends with a backupDone event. */
  started: boolean;
  progress?: BackupProgress;
}

export interface Target {
  groupId: string;
  topicId?: string;
}

export class Backups {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly pool: ArchivePool,
    private readonly connections: Connections,
    private readonly scrubber: SecretScrubber,
    private readonly emit: Emit,
  ) {}

  isRunning(profile: string): boolean {
    return this.running.has(profile);
  }

  /** The profile's backup under way, with its last progress (a reloaded window re-attaches to it). */
  current(profile: string): RunningBackup | undefined {
    const r = this.running.get(profile);
    if (!r?.started) return undefined;
    return { backupId: r.backupId, ...(r.progress ? { progress: r.progress } : {}) };
  }

  /** Starts a backup of `targets` (none = every group that keeps history); `how` goes into the run history. */
  async start(profile: Profile, targets: Target[], how: RunStart = { trigger: 'manual' }): Promise<BackupStarted> {
    if (this.running.has(profile.name)) {
      throw WorkerFailure.of('busy', 'backup-running', { profile: profile.name });
    }
    const backupId = randomUUID();
    const abort = new AbortController();
    let release!: () => void;
    const finished = new Promise<void>((resolve) => (release = resolve));
    // Reserved before the first await, so two quick clicks cannot start two runs.
    const running: Running = { backupId, abort, finished, started: false };
    this.running.set(profile.name, running);
    let client: ImClient | undefined;
    let archive: Archive | undefined;
    try {
      client = await this.connections.client(profile);
      if (this.pool.isWriting(profile.archivePath) || (await stateOf(profile.archivePath)) === 'present') archive = await this.pool.acquireWriter(profile.archivePath);
    } catch (err) {
      client?.close();
      this.running.delete(profile.name);
      release();
      throw err;
    }
    running.started = true;
    void this.run(profile, running, client, archive, targets, how).finally(() => {
      client.close();
      this.running.delete(profile.name);
      release();
    });
    return { backupId, groups: targets.length };
  }

  /** Resolves once the backup has stopped and its archive is saved. */
  async cancel(profile: string): Promise<void> {
    const r = this.running.get(profile);
    if (!r) return;
    r.abort.abort(new Error('Cancelled'));
    await r.finished;
  }

  async cancelAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((p) => this.cancel(p)));
  }

  /** `archive`: the writer already held, or none yet (it is acquired when the run first needs it). */
  private async run(profile: Profile, running: Running, client: ImClient, archive: Archive | undefined, targets: Target[], how: RunStart): Promise<void> {
    const { backupId } = running;
    const { signal } = running.abort;
    const started = performance.now();
    let held = archive !== undefined;
    const acquire = async () => {
      const writer = await this.pool.acquireWriter(profile.archivePath);
      held = true;
      return writer;
    };
    let summary: BackupSummary;
    try {
      const pacer = this.connections.pacer(profile);
      const groups =
        targets.length > 0
          ? targets
          : (await listGroups({ api: this.connections.directory(client, profile, signal), pacer, signal })).filter((g) => g.keepsHistory && !g.error).map((g) => ({ groupId: g.groupId }));
      const result = await runBackup({
        api: client,
        archive: archive ?? acquire,
        sdkAppId: profile.sdkAppId,
        pacer,
        targets: groups,
        signal,
        trigger: how.trigger,
        retryOf: how.retryOf,
        media: { policy: policyOf(profile.media), allowLoopback: isLoopbackEndpoint(client.endpoint) },
        onProgress: (p) => {
          running.progress = progressOf(p);
          this.emit('backupProgress', { profile: profile.name, backupId, progress: running.progress });
        },
      });
      summary = this.summaryOf(result);
    } catch (err) {
      const e = this.scrubber.toAppError(signal.aborted ? WorkerFailure.of('cancelled', 'cancelled') : err);
      summary = emptySummary(signal.aborted ? 'cancelled' : 'failed', e, performance.now() - started);
      if (!signal.aborted) summary.errorKind = e.kind;
    }
    try {
      if (held) await this.pool.releaseWriter(profile.archivePath);
    } catch (err) {
      const e = this.scrubber.toAppError(err);
      summary = { ...summary, outcome: 'failed', error: e.message, ...(e.said ? { errorSaid: e.said } : {}), errorKind: e.kind };
    }
    this.emit('backupDone', { profile: profile.name, backupId, summary });
  }

  private summaryOf(s: EngineSummary): BackupSummary {
    return {
      runId: s.runId,
      outcome: s.outcome,
      ...(s.error !== undefined ? { error: this.scrubber.scrub(s.error) } : {}),
      ...(s.said !== undefined ? { errorSaid: this.scrubber.scrubSaid(s.said) } : {}),
      ...(s.failure !== undefined ? { errorKind: this.scrubber.toAppError(s.failure).kind } : {}),
      groups: s.groups.map((g) => ({
        ...g,
        ...(g.reason !== undefined ? { reason: this.scrubber.scrub(g.reason) } : {}),
        ...(g.reasonSaid !== undefined ? { reasonSaid: this.scrubber.scrubSaid(g.reasonSaid) } : {}),
      })),
      requests: s.requests,
      retries: s.retries,
      rateLimited: s.rateLimited,
      messagesStored: s.messagesStored,
      windowsDone: s.windowsDone,
      windowsFailed: s.windowsFailed,
      elapsedMs: s.elapsedMs,
    };
  }
}

function progressOf(p: RunProgress): BackupProgress {
  return {
    elapsedMs: p.elapsedMs,
    requests: p.requests,
    retries: p.retries,
    rateLimited: p.rateLimited,
    messagesStored: p.messagesStored,
    windowsDone: p.windowsDone,
    windowsFailed: p.windowsFailed,
    windowsTotal: p.windowsTotal,
    requestsPerSecond: p.requestsPerSecond,
    messagesPerSecond: p.messagesPerSecond,
    ...(p.etaSeconds !== undefined ? { etaSeconds: p.etaSeconds } : {}),
    groups: p.groups,
  };
}

function emptySummary(outcome: 'failed' | 'cancelled', error: AppError, elapsedMs: number): BackupSummary {
  return { outcome, error: error.message, ...(error.said ? { errorSaid: error.said } : {}), groups: [], requests: 0, retries: 0, rateLimited: 0, messagesStored: 0, windowsDone: 0, windowsFailed: 0, elapsedMs };
}
