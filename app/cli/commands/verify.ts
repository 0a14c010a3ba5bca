import { Archive, ArchiveError, type IntegrityReport } from '../../archive';
import { archivePath, type GlobalFlags } from '../config';
import { EXIT } from '../exit';
import { formatDuration, printJson } from '../output';
import { cliWords, type MessageRef, messageList } from '../words';

export interface VerifyFlags extends GlobalFlags {
  quick?: boolean;
}

/**
 * SQLite's integrity check of every page of the archive (the full check unless --quick), then every message
 * row against its checksum (damage inside a record passes SQLite's checks), through a read-only connection: it
 * works while a backup runs, and never changes the file.
 */
export async function verifyCommand(flags: VerifyFlags): Promise<number> {
  const path = archivePath(flags);
  let report: IntegrityReport;
  let where = path;
  let damaged: MessageRef[] = [];
  let rows = 0;
  try {
    const archive = await Archive.open(path, { readOnly: true });
    where = archive.path;
    try {
      report = archive.verify({ quick: flags.quick ?? false });
      const found = archive.damagedRows();
      rows = found.examined;
      const groups = new Map(archive.groups().map((g) => [g.gid, g]));
      damaged = found.damaged.map(({ gid, seq }) => {
        const g = groups.get(gid);
        return { groupId: g?.groupId ?? `(unknown group ${gid})`, ...(g?.topicId ? { topicId: g.topicId } : {}), seq };
      });
    } finally {
      await archive.close();
    }
  } catch (err) {
    // Damage where SQLite keeps the archive's own structure stops it from opening at all: that is the finding.
    if (!(err instanceof ArchiveError) || err.kind !== 'corrupt') throw err;
    report = { ok: false, problems: [err.message], ms: 0 };
  }
  const ok = report.ok && damaged.length === 0;
  if (flags.json) {
    printJson({ path: where, ...report, ok, pagesOk: report.ok, rowsChecked: rows, damaged });
    return ok ? EXIT.ok : EXIT.failed;
  }
  const words = cliWords();
  if (report.ok) process.stdout.write(`The archive ${where} is intact: SQLite checked every page (${formatDuration(report.ms / 1000)}).\n`);
  else {
    process.stdout.write(
      `The archive ${where} is DAMAGED. SQLite's integrity check found:\n${report.problems.map((p) => `  ${p}`).join('\n')}\n` +
        'Keep this file as it is and restore the archive from a copy; a new backup into another file fetches again whatever Tencent still keeps.\n',
    );
  }
  if (damaged.length > 0) process.stdout.write(`${messageList(words.damagedInArchive(damaged.length), damaged, words)}\n${words.damagedNext}\n`);
  else if (rows > 0 || report.ok) process.stdout.write(`${words.rowsIntact(rows)}\n`);
  return ok ? EXIT.ok : EXIT.failed;
}
