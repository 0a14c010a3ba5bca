import { Archive } from '../../archive';
import { completeness } from '../../coverage/completeness';
import { describe } from '../../coverage/verdict';
import { dictionary } from '../../export/i18n';
import { streamName } from '../../export/summary';
import { archivePath, type GlobalFlags } from '../config';
import { printJson, table } from '../output';

export interface StatusFlags extends GlobalFlags {
  group?: string[];
}

/** Short words for the state column; the sentence (app/coverage) follows the table. */
const STATE = { unknown: 'not known yet', complete: 'complete', 'complete-since': 'complete since', incomplete: 'INCOMPLETE' } as const;

export async function statusCommand(flags: StatusFlags): Promise<number> {
  const archive = await Archive.open(archivePath(flags), { readOnly: true });
  try {
    const wanted = flags.group && flags.group.length > 0 ? new Set(flags.group) : undefined;
    // A group's topics come with it: `--group` names the group as Tencent does, or one topic.
    const report = archive
      .groups()
      .filter((g) => !wanted || wanted.has(g.groupId) || wanted.has(g.topicId))
      .map((g) => {
        const cov = archive.coverage(g.gid);
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
      ];
    });
    process.stdout.write(
      `${table(['GROUP / TOPIC', 'NAME', 'MESSAGES', 'RECALLED', 'DELETED', 'EXPIRED', 'NOT YET FETCHED', 'FAILED', 'COMPLETE'], rows)}\n`,
    );
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
