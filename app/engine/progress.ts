// Progress of a backup run as plain data (it crosses the worker boundary and the IPC unchanged), and the
// throttle that keeps the stream at ≤ 10 events per second however fast windows complete.

import type { Said } from '../errors/said';

/** Counters of one run. Dependency-free like the rest of this module: the IPC contract imports it. */
export interface RunCounters {
  requests: number;
  retries: number;
  rateLimited: number;
  messagesStored: number;
  windowsDone: number;
  windowsFailed: number;
}

/** 'stopped': the run was cancelled before this group was finished (what it fetched is kept). */
export type GroupState = 'queued' | 'probing' | 'fetching' | 'done' | 'partial' | 'skipped' | 'stopped';

export interface GroupProgress {
  groupId: string;
  topicId?: string;
  state: GroupState;
  /** Newest Seq at the start of this run (and after any growth picked up during it). */
  top?: number;
  /** Lowest Seq that may still hold content; Seqs below it have expired at Tencent. */
  edge?: number;
  windowsTotal: number;
  windowsDone: number;
  windowsFailed: number;
  messagesStored: number;
  /** Why the group was skipped or is partial, for a person to read (English, as the run history stores it). */
  reason?: string;
  /** The same in every language, when it was worded in them. Not stored. */
  reasonSaid?: Said;
  /** Seqs whose archived row was damaged (its checksum no longer matched) and that this run replaced from Tencent. */
  repairedSeqs?: number[];
  /**
   * Seqs whose archived row is damaged and stays so: Tencent no longer has their content (beyond its retention,
   * or deleted since); or, when the run did not finish the group, not replaced yet.
   */
  damagedSeqs?: number[];
}

export interface RunProgress extends RunCounters {
  runId: number;
  elapsedMs: number;
  windowsTotal: number;
  requestsPerSecond: number;
  messagesPerSecond: number;
  /** Seconds left at the current pace; undefined until there is a pace to go by. */
  etaSeconds?: number;
  pacerRate: number;
  groups: GroupProgress[];
  done: boolean;
}

/** Rates over the last few seconds, so a stall shows up quickly and a burst does not dominate. */
const RATE_SPAN_MS = 5000;

export class ProgressMeter {
  private samples: { t: number; requests: number; messages: number; windows: number }[] = [];
  private lastEmit = -Infinity;

  constructor(
    private readonly intervalMs: number,
    private readonly emit: ((p: RunProgress) => void) | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Called on every change; emits when the interval has passed (or always when `force`). */
  update(snapshot: () => Omit<RunProgress, 'requestsPerSecond' | 'messagesPerSecond' | 'etaSeconds'>, force = false): void {
    if (!this.emit) return;
    const t = this.now();
    if (!force && t - this.lastEmit < this.intervalMs) return;
    this.lastEmit = t;
    const s = snapshot();
    this.samples.push({ t, requests: s.requests, messages: s.messagesStored, windows: s.windowsDone + s.windowsFailed });
    while (this.samples.length > 2 && t - this.samples[0]!.t > RATE_SPAN_MS) this.samples.shift();
    const first = this.samples[0]!;
    const span = (t - first.t) / 1000;
    const per = (a: number, b: number) => (span > 0 ? (a - b) / span : 0);
    const windowsPerSecond = per(s.windowsDone + s.windowsFailed, first.windows);
    const remaining = s.windowsTotal - s.windowsDone - s.windowsFailed;
    this.emit({
      ...s,
      requestsPerSecond: per(s.requests, first.requests),
      messagesPerSecond: per(s.messagesStored, first.messages),
      ...(windowsPerSecond > 0 ? { etaSeconds: Math.ceil(remaining / windowsPerSecond) } : {}),
    });
  }
}
