// The shapes the schedule, the deadlines, the run history and the estimate hand to their callers: the CLI, the
// worker and, through the IPC contract, the renderer. Plain data and no Node, so the renderer's build can import
// them; the modules beside this one compute them.

/** Every `hours` hours after the last backup started, or once a day at a local time ("HH:MM", 24-hour clock). */
export type Schedule = { kind: 'interval'; hours: number } | { kind: 'daily'; at: string };

export type DueReason = 'first-backup' | 'schedule' | 'deadline';

export interface NextRun {
  /** ms since the epoch. May lie in the past: a backup missed while the computer slept or the app was closed. */
  at: number;
  reason: DueReason;
}

/** What started a run: a person in the app, the app's schedule, or the command line (cron and the like included). */
export type RunTrigger = 'manual' | 'scheduled' | 'cli';
export const RUN_TRIGGERS: readonly RunTrigger[] = ['manual', 'scheduled', 'cli'];

/** A run's outcome in the archive's history; 'running' only while it runs (an interrupted one becomes 'failed'). */
export type RunOutcome = 'running' | 'ok' | 'partial' | 'failed' | 'cancelled';

export interface RunGroupEntry {
  groupId: string;
  topicId?: string;
  name?: string;
  /** done, partial (messages that could not be fetched), skipped, or where it stood when the run stopped. */
  state: string;
  newMessages: number;
  /** Messages that could not be fetched, as the run ended. */
  failedMessages: number;
  reason?: string;
}

/** What a run's media downloads came to (app/media/downloader.ts MediaRunSummary, as the run recorded it). */
export interface RunMedia {
  stored: number;
  storedBytes: number;
  /** Tried again and again in this run, then given up: "retry what failed" tries them once more. */
  failed: number;
  /** Tencent had deleted them already. */
  expired: number;
  /** Over the profile's maximum file size: recorded, not kept. */
  tooLarge: number;
  /** Not downloaded when the run ended (stopped, or paused for disk space): the next backup continues them. */
  waiting: number;
  /** Why no media could be downloaded at all (the media folder), when that happened. */
  unavailable?: string;
}

export interface RunEntry {
  runId: number;
  /** Absent for runs recorded before the history knew it. */
  trigger?: RunTrigger;
  /** The run whose failures this one fetched again. */
  retryOf?: number;
  startedAt: number;
  finishedAt?: number;
  durationMs?: number;
  outcome: RunOutcome;
  newMessages: number;
  requests: number;
  retries: number;
  failedMessages: number;
  /** Absent when the run downloaded no media (recorded before media existed, or it stopped first). */
  media?: RunMedia;
  groups: RunGroupEntry[];
  error?: string;
  /** What happened, in one or two English sentences for a person. */
  description: string;
  /** "Retry what failed" has something to fetch: groups the run left unfinished still lack messages, or media of its groups failed. */
  canRetry: boolean;
}

export type DeadlineBasis =
  /** Nothing of the group is archived: its oldest messages may be expiring now. */
  | 'never-backed-up'
  /** Messages a backup could not fetch (or did not finish), from Seq `oldestMissing` on. */
  | 'missing'
  /** Everything up to the newest message a backup saw is archived: the deadline is that of the next message. */
  | 'up-to-date';

export interface Deadline {
  basis: DeadlineBasis;
  /** The earliest moment the oldest message the archive lacks can expire at Tencent; absent when unknowable (then: now). */
  expiresAt?: number;
  /** When the next backup should start: expiresAt less the safety margin (now when expiresAt is unknown). */
  dueAt: number;
  /** The first Seq the archive lacks, for basis 'missing'. */
  oldestMissing?: number;
}

export interface GroupEstimate {
  groupId: string;
  topicId?: string;
  name?: string;
  newestSeq: number;
  /** Messages not in the archive yet (at most: some will have expired or been deleted at Tencent). */
  messages: number;
  requests: number;
  /** Estimated media bytes of those messages (absent when the profile keeps no media). */
  mediaBytes?: number;
}

export interface Estimate {
  groups: number;
  messages: number;
  /** Calls to Tencent's REST API. */
  requests: number;
  /** At `rate` calls per second, the pace a backup keeps. */
  seconds: number;
  rate: number;
  /** Bytes the archive file grows by (messages, search index, coverage). */
  diskBytes: number;
  bytesPerMessage: number;
  /** The media estimate: absent when the profile keeps no media. */
  media?: MediaEstimate;
  perGroup: GroupEstimate[];
}

/**
 * Bytes the media folder grows by: an estimate from a sample, the newest messages of each group (what their
 * elements declare, under the profile's media settings), scaled to the messages to fetch. Group chat is rarely
 * uniform, so it says how much it rests on.
 */
export interface MediaEstimate {
  bytes: number;
  /** Messages the estimate was measured on (the newest of each group, one call to Tencent each). */
  sampledMessages: number;
  /** Of those, the ones carrying an image, file, voice message or video. */
  sampledWithMedia: number;
  /** The media settings it follows. */
  mode: 'all' | 'thumbnails';
  maxBytes: number;
}

/** Why a group shows on the Overview's "needs attention" list. */
export type Attention =
  /** Its last backup did not finish it (messages that could not be fetched, skipped, stopped). */
  | 'failed'
  /** The archive lacks messages below its newest: a gap a backup left. */
  | 'gaps'
  /** The oldest message the archive lacks may expire within a day. */
  | 'expiring-soon'
  | 'never-backed-up'
  /** Images, files, voice or video of its messages could not be downloaded (a backup or "retry" tries again). */
  | 'media-failed'
  /** Media not downloaded yet whose messages Tencent may delete, with their files, within a day. */
  | 'media-expiring';

/** A group's media not downloaded yet (counted by the group they were first seen in, as downloads are). */
export interface GroupMediaWaiting {
  /** Pending or failed. */
  waiting: number;
  failed: number;
  /** When Tencent deletes the oldest of them with its message (its time plus the retention). */
  expiresAt: number;
}

export interface GroupLastRunEntry {
  runId: number;
  startedAt: number;
  finishedAt?: number;
  /** This group's part: done, partial, skipped, or where it stood when the run stopped. */
  state: string;
  /** The whole run's outcome. */
  outcome: RunOutcome;
}

export interface GroupStatus {
  groupId: string;
  topicId?: string;
  name?: string;
  deadline: Deadline;
  lastRun?: GroupLastRunEntry;
  /**
   * The latest backup skipped this group, and why (Tencent says it is gone, or keeps no history). Another backup
   * cannot help it, so its deadline does not make the profile's next backup due.
   */
  skippedReason?: string;
  /** Absent when every medium of its messages is downloaded (or left out by the media settings). */
  media?: GroupMediaWaiting;
  attention: Attention[];
}

/** A profile at a glance: the Overview screen's data. */
export interface ProfileOverview {
  retentionDays: number;
  schedule?: Schedule;
  /** The newest run, when there is one. */
  lastRun?: RunEntry;
  /** When the next scheduled backup starts (absent: no schedule). */
  nextRun?: NextRun;
  /** The earliest moment the next backup must start for no group to lose messages (absent: no groups archived). */
  dueAt?: number;
  /** The archived groups, those needing attention first, then by deadline. */
  groups: GroupStatus[];
  /** The archive file's size (absent: no archive yet, a first-time profile: show the estimate). */
  archiveBytes?: number;
  /** What the downloaded media take beside the archive (`<archive>.media/`); absent with no archive. */
  mediaBytes?: number;
  /** Free space on the archive's drive. */
  freeDiskBytes?: number;
}

/** What decides when a profile's next backup is due (./schedule.ts nextRun). */
export interface DueFacts {
  schedule?: Schedule;
  /** When the profile's last backup started (any trigger), from its archive's run history. */
  lastStartedAt?: number;
  /** When the earliest of its groups' deadlines asks for the next backup (./deadline.ts). */
  deadlineDueAt?: number;
}

/** What the app's scheduler needs to know of one profile. */
export interface ProfileDue extends DueFacts {
  profile: string;
}
