import { Archive } from '../../archive';
import { completeness } from '../../coverage/completeness';
import { describe } from '../../coverage/verdict';
import { dictionary } from '../../export/i18n';
import { streamName } from '../../export/summary';
import { type Deadline, groupDeadline, groupFacts } from '../../schedule/deadline';
import { lastRunEntry } from '../../schedule/overview';
import { archivePath, type GlobalFlags, retentionDays } from '../config';
import { formatTime, printJson, table } from '../output';
import { formatBytes } from '../../export/units';
import { systemLang } from '../../export/i18n';
import { mediaWords } from '../../media/words';
import { langOf } from './export';

export interface StatusFlags extends GlobalFlags {
  lang?: string;
  group?: string[];
  retention?: string;
}

const STATE_WORDS: Record<string, string> = { done: 'complete', partial: 'with gaps', skipped: 'skipped' };
/** Short words for the state column; the sentence (app/coverage) follows the table. */
const STATE = { unknown: 'not known yet', complete: 'complete', 'complete-since': 'complete since', incomplete: 'INCOMPLETE' } as const;

export async function statusCommand(flags: StatusFlags): Promise<number> {
  const retention = retentionDays(flags);
  const archive = await Archive.open(archivePath(flags), { readOnly: true });
  try {
    const now = Date.now();
    const lastRuns = archive.lastRunOfGroups();
    const wanted = flags.group && flags.group.length > 0 ? new Set(flags.group) : undefined;
    // A group's topics come with it: `--group` names the group as Tencent does, or one topic.
    const report = archive
      .groups()
      .filter((g) => !wanted || wanted.has(g.groupId) || wanted.has(g.topicId))
      .map((g) => {
        const cov = archive.coverage(g.gid);
        const last = lastRuns.get(g.gid);
        return {
          row: g,
          json: {
            sdkAppId: g.sdkAppId,
            groupId: g.groupId,
            ...(g.topicId ? { topicId: g.topicId } : {}),
            name: g.name,
            type: g.type,
            newestKnownSeq: g.newestSeq,
            ...archive.stats(g.gid),
            completeness: completeness(archive, g),
            covered: cov.covered,
            expiredRanges: cov.expired,
            failedRanges: cov.failed,
            gaps: g.newestSeq ? archive.gaps(g.gid, 1, g.newestSeq) : [],
            retentionDays: retention,
            deadline: groupDeadline(groupFacts(archive, g), retention, now),
            lastRun: last ? lastRunEntry(last) : undefined,
          },
        };
      });
    if (flags.json) {
      printJson(report.map((r) => r.json));
      return 0;
    }
    if (report.length === 0) {
      process.stdout.write(`The archive ${archive.path} holds no groups yet. Run "tim-backup backup" first.\n`);
      return 0;
    }
    const words = dictionary('en').completeness;
    const date = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);
    const ranges = (rs: { lo: number; hi: number }[]) => (rs.length === 0 ? '' : rs.length > 3 ? `${rs.length} ranges` : rs.map((r) => (r.lo === r.hi ? `${r.lo}` : `${r.lo}-${r.hi}`)).join(' '));
    const rows = report.map(({ row, json: g }) => {
      const c = g.completeness;
      return [
        row.topicId ? `  ${row.topicId}` : row.groupId,
        streamName(archive, row),
        String(c.counts.messages),
        String(c.counts.recalled),
        String(c.counts.placeholders),
        c.counts.expired ? String(c.counts.expired) : '',
        ranges(g.gaps),
        ranges(g.failedRanges),
        c.state === 'complete-since' && c.since !== undefined ? `${STATE[c.state]} ${date(c.since)}` : STATE[c.state],
        g.lastRun ? `${formatTime(g.lastRun.startedAt)} ${STATE_WORDS[g.lastRun.state] ?? 'unfinished'}` : '',
        backUpBy(g.deadline, now),
      ];
    });
    process.stdout.write(
      `${table(['GROUP / TOPIC', 'NAME', 'MESSAGES', 'RECALLED', 'DELETED', 'EXPIRED', 'NOT YET FETCHED', 'FAILED', 'COMPLETE', 'LAST BACKUP', 'BACK UP BY'], rows)}\n`,
    );
    const media = report.filter(({ json: g }) => g.completeness.counts.media && Object.values(g.completeness.counts.media).some((n) => n > 0));
    if (media.length > 0) {
      const words = mediaWords(flags.lang !== undefined ? langOf(flags.lang) : systemLang());
      const h = words.statusHeader;
      const mediaRows = media.map(({ row, json: g }) => {
        const m = g.completeness.counts.media!;
        return [row.topicId ? `  ${row.topicId}` : row.groupId, String(m.stored), String(m.pending), String(m.expired), String(m.failed), String(m.skipped + m.tooLarge + m.noUrl), formatBytes(m.storedBytes)];
      });
      process.stdout.write(`${table([words.header.group, h.stored, h.waiting, h.expired, h.failed, h.notKept, h.bytes], mediaRows)}\n`);
    }
    process.stdout.write(`Deadlines assume Tencent keeps ${retention} days of history (--retention or TIM_RETENTION_DAYS to change).\n`);
    for (const { row, json: g } of report) {
      const c = g.completeness;
      if (c.state !== 'complete') process.stdout.write(`${row.topicId || row.groupId}: ${describe(c, words, { count: String, date }).text}\n`);
      const kinds = Object.entries(g.byKind).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
      if (kinds) process.stdout.write(`${row.topicId || row.groupId}: ${kinds}\n`);
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
