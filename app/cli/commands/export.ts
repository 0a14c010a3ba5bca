import { Archive } from '../../archive';
import { EXPORT_FORMATS, type ExportFormat, exportArchive, type Lang, LANGS, NAME_CHOICES, type NameChoice, OutputError, parseLang, SelectionError } from '../../export';
import { archivePath, type GlobalFlags } from '../config';
import { printJson } from '../output';
import { UsageError } from '../usage';
import { filterFromFlags, resolveSenders } from '../filter-flags';

export interface ExportFlags extends GlobalFlags {
  format?: string;
  out?: string;
  group?: string[];
  since?: string;
  until?: string;
  from?: string[];
  kind?: string[];
  lang?: string;
  names?: string;
}

export async function exportCommand(flags: ExportFlags): Promise<number> {
  const format = flags.format as ExportFormat | undefined;
  if (!format || !EXPORT_FORMATS.includes(format)) {
    throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')} (got "${flags.format ?? ''}").`);
  }
  if (!flags.out) throw new UsageError(format === 'html' ? 'Say which folder to write the export to: --out FOLDER.' : 'Say where to write the export: --out FILE.');
  const lang = flags.lang !== undefined ? langOf(flags.lang) : undefined;
  const names = flags.names ?? 'card';
  if (!(NAME_CHOICES as readonly string[]).includes(names)) throw new UsageError(`--names must be one of ${NAME_CHOICES.join(', ')} (got "${names}").`);
  const flagged = filterFromFlags(flags);
  const archive = await Archive.open(archivePath(flags), { readOnly: true });
  try {
    const filter = resolveSenders(archive.db, flagged);
    const result = await exportArchive(archive, { format, out: flags.out, filter, names: names as NameChoice, ...(lang ? { lang } : {}) }).catch((err: unknown) => {
      // Naming a group the archive lacks is a mistake in the call; an OutputError says what to do, and here the
      // destination it speaks of is the --out flag.
      if (err instanceof SelectionError) throw new UsageError(err.message);
      if (err instanceof OutputError) throw new Error(err.naming('--out'), { cause: err });
      throw err;
    });
    if (flags.json) printJson(result);
    else {
      const where = format === 'html' ? `${flags.out} (open index.html)` : flags.out;
      process.stdout.write(`Wrote ${result.messages} messages from ${result.groups} groups to ${where}\n`);
    }
    return 0;
  } finally {
    await archive.close();
  }
}

function langOf(value: string): Lang {
  const lang = parseLang(value);
  if (!lang) throw new UsageError(`--lang must be one of ${LANGS.join(', ')} (got "${value}").`);
  return lang;
}

