import { Archive } from '../../archive';
import { archivePath, type GlobalFlags } from '../config';
import { EXIT } from '../exit';
import { formatDuration, printJson } from '../output';

export interface VerifyFlags extends GlobalFlags {
  quick?: boolean;
}

/**
 * SQLite's integrity check of every page of the archive (the full check unless --quick), through a read-only
 * connection: it works while a backup runs, and never changes the file.
 */
export async function verifyCommand(flags: VerifyFlags): Promise<number> {
  const archive = await Archive.open(archivePath(flags), { readOnly: true });
  try {
    const report = archive.verify({ quick: flags.quick ?? false });
    if (flags.json) printJson({ path: archive.path, ...report });
    else if (report.ok) process.stdout.write(`The archive ${archive.path} is intact: SQLite checked every page (${formatDuration(report.ms / 1000)}).\n`);
    else {
      process.stdout.write(
        `The archive ${archive.path} is DAMAGED. SQLite's integrity check found:\n${report.problems.map((p) => `  ${p}`).join('\n')}\n` +
          'Keep this file as it is and restore the archive from a copy; a new backup into another file fetches again whatever Tencent still keeps.\n',
      );
    }
    return report.ok ? EXIT.ok : EXIT.failed;
  } finally {
    await archive.close();
  }
}
