import { openForReading } from '../../engine/archive-file';
import { archivePath, type GlobalFlags } from '../config';
import { printJson, table } from '../output';

export interface StatusFlags extends GlobalFlags {
  group?: string[];
}

export async function statusCommand(flags: StatusFlags): Promise<number> {
  const archive = await openForReading(archivePath(flags));
  try {
    const wanted = flags.group && flags.group.length > 0 ? new Set(flags.group) : undefined;
    const report = archive
      .groups()
      .filter((g) => !wanted || wanted.has(g.groupId))
      .map((g) => {
        const cov = archive.coverage(g.gid);
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
    ]);
    process.stdout.write(
      `${table(['GROUP', 'NAME', 'SEQS', 'ARCHIVED', 'RECALLED', 'DELETED', 'ABSENT', 'EXPIRED', 'NOT YET FETCHED', 'FAILED'], rows)}\n`,
    );
    for (const g of report) {
      const kinds = Object.entries(g.byKind).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
      if (kinds) process.stdout.write(`${g.groupId}: ${kinds}\n`);
    }
    return 0;
  } finally {
    await archive.close();
  }
}
