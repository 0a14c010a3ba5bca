import { Archive } from '../../archive';
import { type Deadline, groupDeadline, groupFacts } from '../../schedule/deadline';
import { lastRunEntry } from '../../schedule/overview';
import { archivePath, type GlobalFlags, retentionDays } from '../config';
import { formatTime, printJson, table } from '../output';

export interface StatusFlags extends GlobalFlags {
  group?: string[];
  retention?: string;
}

const STATE_WORDS: Record<string, string> = { done: 'complete', partial: 'with gaps', skipped: 'skipped' };

export async function statusCommand(flags: StatusFlags): Promise<number> {
  const retention = retentionDays(flags);
  const archive = await Archive.open(archivePath(flags), { readOnly: true });
  try {
    const now = Date.now();
    const lastRuns = archive.lastRunOfGroups();
    const wanted = flags.group && flags.group.length > 0 ? new Set(flags.group) : undefined;
    const report = archive
      .groups()
      .filter((g) => !wanted || wanted.has(g.groupId))
      .map((g) => {
        const cov = archive.coverage(g.gid);
        const last = lastRuns.get(g.gid);
        return {
          sdkAppId: g.sdkAppId,
          groupId: g.groupId,
          ...(g.topicId ? { topicId: g.topicId } : {}),
          name: g.name,
          type: g.type,
          newestKnownSeq: g.newestSeq,
          ...archive.stats(g.gid),
          covered: cov.covered,
          expiredRanges: cov.expired,
          failedRanges: cov.failed,
          gaps: g.newestSeq ? archive.gaps(g.gid, 1, g.newestSeq) : [],
          retentionDays: retention,
          deadline: groupDeadline(groupFacts(archive, g), retention, now),
          lastRun: last ? lastRunEntry(last) : undefined,
        };
      });
    if (flags.json) {
      printJson(report);
      return 0;
    }
    if (report.length === 0) {
      process.stdout.write(`The archive ${archive.path} holds no groups yet. Run "tim-backup backup" first.\n`);
      return 0;
    }
    const ranges = (rs: { lo: number; hi: number }[]) => (rs.length === 0 ? '' : rs.length > 3 ? `${rs.length} ranges` : rs.map((r) => (r.lo === r.hi ? `${r.lo}` : `${r.lo}-${r.hi}`)).join(' '));
    const rows = report.map((g) => [
      g.groupId,
      g.name ?? '',
      g.oldest !== undefined ? `${g.oldest}–${g.newest}` : '',
      String(g.archived),
      String(g.recalled),
      String(g.placeholders),
      String(g.absent),
      g.expired ? String(g.expired) : '',
      ranges(g.gaps),
      ranges(g.failedRanges),
      g.lastRun ? `${formatTime(g.lastRun.startedAt)} ${STATE_WORDS[g.lastRun.state] ?? 'unfinished'}` : '',
      backUpBy(g.deadline, now),
    ]);
    process.stdout.write(
      `${table(['GROUP', 'NAME', 'SEQS', 'ARCHIVED', 'RECALLED', 'DELETED', 'ABSENT', 'EXPIRED', 'NOT YET FETCHED', 'FAILED', 'LAST BACKUP', 'BACK UP BY'], rows)}\n`,
    );
    process.stdout.write(`Deadlines assume Tencent keeps ${retention} days of history (--retention or TIM_RETENTION_DAYS to change).\n`);
    for (const g of report) {
      const kinds = Object.entries(g.byKind).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
      if (kinds) process.stdout.write(`${g.groupId}: ${kinds}\n`);
    }
    return 0;
  } finally {
    await archive.close();
  }
}

/** When the next backup must run for nothing to expire unarchived. */
function backUpBy(d: Deadline, now: number): string {
  if (d.dueAt <= now) return d.basis === 'never-backed-up' ? 'now (never backed up)' : 'NOW: messages may be expiring';
  return formatTime(d.dueAt);
}
