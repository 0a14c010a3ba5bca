// "Retry what failed": a backup of exactly the groups a run left unfinished, or whose media failed. Any backup of
// a group fetches its failed ranges again (they are gaps in its coverage) and downloads its failed media again
// (the downloader makes them pending first), so the retry is that backup aimed at those groups only.

import type { Archive } from '../archive';
import type { BackupTarget } from './backup';
import { type Said, SaidError, type Sentences, type Tables, sayAll } from '../errors/said';

type RetryProblem = 'no-such-run' | 'nothing-to-retry';

export const RETRY_EN = {
  'no-such-run': (p) => `The archive has no backup run ${p.runId}.`,
  'nothing-to-retry': (p) => `Nothing to retry: the groups backup ${p.runId} left unfinished have all been backed up since (their media too), or were skipped for good.`,
} satisfies Sentences<RetryProblem, { runId: number }>;

export const RETRY_ZH = {
  'no-such-run': (p) => `归档中没有编号为 ${p.runId} 的备份。`,
  'nothing-to-retry': (p) => `没有需要重试的内容：第 ${p.runId} 次备份未完成的群组此后都已备份（包括其媒体文件），或已被永久跳过。`,
} satisfies Sentences<RetryProblem, { runId: number }>;

const RETRY: Tables<RetryProblem, { runId: number }> = { en: RETRY_EN, 'zh-CN': RETRY_ZH };

export class NoSuchRun extends SaidError {
  override name = 'NoSuchRun';
  constructor(readonly runId: number) {
    super(sayAll(RETRY, 'no-such-run', { runId }));
  }
}

/** What "retry what failed" answers when there is nothing left to fetch. */
export function nothingToRetry(runId: number): Said {
  return sayAll(RETRY, 'nothing-to-retry', { runId });
}

/**
 * The groups of run `runId` that it did not finish (messages that could not be fetched, or the run stopped
 * before it was done with them) and that still lack messages now — a later backup may have fetched them
 * meanwhile — and those of its groups whose media failed and are still not downloaded. Skipped groups are left
 * out: what stopped them (the group is gone, or keeps no history) does not go away by trying again. Empty when
 * nothing is left to retry.
 */
export function retryTargets(archive: Archive, runId: number): BackupTarget[] {
  if (!archive.run(runId)) throw new NoSuchRun(runId);
  const groups = new Map(archive.groups().map((g) => [g.gid, g]));
  const media = archive.mediaWaiting();
  return archive.runGroups(runId).flatMap((part) => {
    const g = groups.get(part.gid);
    if (!g || part.state === 'skipped') return [];
    const failedMedia = (media.get(g.gid)?.failed ?? 0) > 0;
    const unfinished = part.state !== 'done' || part.failedSeqs > 0;
    const lacking = unfinished && (g.newestSeq === undefined || archive.gaps(g.gid, 1, g.newestSeq).length > 0);
    return lacking || failedMedia ? [{ groupId: g.groupId, ...(g.topicId ? { topicId: g.topicId } : {}) }] : [];
  });
}
