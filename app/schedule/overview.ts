// A profile at a glance, from its archive: the last backup, the next one, each group's deadline and what needs
// attention. The worker answers the Overview screen and the app's scheduler with it.

import { statfs, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Archive, GroupLastRun } from '../archive';
import { DAY, DEFAULT_RETENTION_DAYS, earliestDue, groupDeadline, groupFacts } from './deadline';
import { runHistory } from './history';
import { nextRun } from './schedule';
import type { Attention, GroupLastRunEntry, GroupStatus, ProfileDue, ProfileOverview, RunEntry, Schedule } from './types';

export interface OverviewInput {
  /** The profile's archive; undefined when it does not exist yet. */
  archive: Archive | undefined;
  archivePath: string;
  sdkAppId: number;
  schedule?: Schedule;
  retentionDays?: number;
  now: number;
  timeZone: string;
}

export async function profileOverview(input: OverviewInput): Promise<ProfileOverview> {
  const retentionDays = input.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const { lastRun, groups, dueAt } = profileState(input.archive, input.sdkAppId, retentionDays, input.now);
  const mediaBytes = input.archive?.mediaStoredBytes();
  const next = nextRun({ schedule: input.schedule, lastStartedAt: lastRun?.startedAt, deadlineDueAt: dueAt }, input.now, input.timeZone);
  const archiveBytes = await stat(input.archivePath).then((s) => s.size, () => undefined);
  const free = await freeBytes(input.archivePath);
  return {
    retentionDays,
    ...(input.schedule ? { schedule: input.schedule } : {}),
    ...(lastRun ? { lastRun } : {}),
    ...(next ? { nextRun: next } : {}),
    ...(dueAt !== undefined ? { dueAt } : {}),
    groups,
    ...(archiveBytes !== undefined ? { archiveBytes } : {}),
    ...(mediaBytes !== undefined ? { mediaBytes } : {}),
    ...(free !== undefined ? { freeDiskBytes: free } : {}),
  };
}

/** What the app's scheduler needs of a profile: the same facts the Overview's next backup comes from. */
export function profileDue(profile: string, archive: Archive | undefined, sdkAppId: number, schedule: Schedule | undefined, retentionDays: number | undefined, now: number): ProfileDue {
  const { lastRun, dueAt } = profileState(archive, sdkAppId, retentionDays ?? DEFAULT_RETENTION_DAYS, now);
  return {
    profile,
    ...(schedule ? { schedule } : {}),
    ...(lastRun ? { lastStartedAt: lastRun.startedAt } : {}),
    ...(dueAt !== undefined ? { deadlineDueAt: dueAt } : {}),
  };
}

interface ProfileState {
  lastRun?: RunEntry;
  /** Those needing attention first, then by deadline. */
  groups: GroupStatus[];
  /** The earliest deadline a backup can do something about. */
  dueAt?: number;
}

function profileState(archive: Archive | undefined, sdkAppId: number, retentionDays: number, now: number): ProfileState {
  if (!archive) return { groups: [] };
  const lastRun = runHistory(archive, { limit: 1 })[0];
  const skipped = new Map((lastRun?.groups ?? []).filter((g) => g.state === 'skipped').map((g) => [`${g.groupId}\n${g.topicId ?? ''}`, g.reason ?? 'no reason was recorded']));
  const lastRuns = archive.lastRunOfGroups();
  const waiting = archive.mediaWaiting();
  const groups = archive
    .groups()
    .filter((g) => g.sdkAppId === sdkAppId)
    .map((g): GroupStatus => {
      const deadline = groupDeadline(groupFacts(archive, g), retentionDays, now);
      const last = lastRuns.get(g.gid);
      const skippedReason = skipped.get(`${g.groupId}\n${g.topicId}`);
      const attention: Attention[] = [];
      if (deadline.basis === 'never-backed-up') attention.push('never-backed-up');
      else {
        if (skippedReason !== undefined || (last && last.state !== 'done')) attention.push('failed');
        if (deadline.basis === 'missing') attention.push('gaps');
        if (deadline.expiresAt === undefined || deadline.expiresAt - now < DAY) attention.push('expiring-soon');
      }
      const m = waiting.get(g.gid);
      // Tencent deletes a message's files with the message: its time plus the retention.
      const media = m && { waiting: m.waiting, failed: m.failed, expiresAt: m.oldestTime * 1000 + retentionDays * DAY };
      if (media && media.failed > 0) attention.push('media-failed');
      if (media && media.expiresAt - now < DAY) attention.push('media-expiring');
      return {
        groupId: g.groupId,
        ...(g.topicId ? { topicId: g.topicId } : {}),
        ...(g.name !== undefined ? { name: g.name } : {}),
        deadline,
        ...(last ? { lastRun: lastRunEntry(last) } : {}),
        ...(skippedReason !== undefined ? { skippedReason } : {}),
        ...(media ? { media } : {}),
        attention,
      };
    })
    .sort((a, b) => Number(b.attention.length > 0) - Number(a.attention.length > 0) || a.deadline.dueAt - b.deadline.dueAt);
  const dueAt = earliestDue(groups.filter((g) => g.skippedReason === undefined).map((g) => g.deadline));
  return { ...(lastRun ? { lastRun } : {}), groups, ...(dueAt !== undefined ? { dueAt } : {}) };
}

/** A group's last run as the Overview and `tim-backup status --json` show it. */
export function lastRunEntry(last: GroupLastRun): GroupLastRunEntry {
  return { runId: last.runId, startedAt: last.startedAt, ...(last.finishedAt !== undefined ? { finishedAt: last.finishedAt } : {}), state: last.state, outcome: last.outcome };
}

/** Free space where the archive is (or will be: the nearest existing folder above one not created yet). */
async function freeBytes(path: string): Promise<number | undefined> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    try {
      const s = await statfs(dir);
      return s.bavail * s.bsize;
    } catch {
      if (dirname(dir) === dir) return undefined;
    }
  }
}
