import { Archive } from '../../archive';
import { EXPORT_FORMATS, type ExportFormat, exportArchive, type Lang, LANGS, MEDIA_MODES, type MediaMode, NAME_CHOICES, type NameChoice, parseLang, SelectionError } from '../../export';
import { archivePath, type GlobalFlags } from '../config';
import { printJson } from '../output';
import { formatBytes } from '../../export/units';
import { usage, usageFrom } from '../usage';
import { cliLang, cliWords, messageList } from '../words';
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
  force?: boolean;
  names?: string;
  media?: string;
}

export async function exportCommand(flags: ExportFlags): Promise<number> {
  const format = flags.format as ExportFormat | undefined;
  if (!format || !EXPORT_FORMATS.includes(format)) {
    throw usage('format', { choices: EXPORT_FORMATS, got: flags.format ?? '' });
  }
  if (!flags.out) throw usage(format === 'html' ? 'out-folder' : 'out-file');
  // Standard output then carries the export itself, so it cannot also carry the JSON summary.
  if (flags.out === '-' && flags.json && format !== 'html') throw usage('stdout-json');
  const lang = flags.lang !== undefined ? langOf(flags.lang) : undefined;
  const names = flags.names ?? 'card';
  if (!(NAME_CHOICES as readonly string[]).includes(names)) throw usage('names', { choices: NAME_CHOICES, got: names });
  const media = flags.media ?? 'copy';
  if (!(MEDIA_MODES as readonly string[]).includes(media)) throw usage('export-media', { got: media });
  const flagged = filterFromFlags(flags);
  const archive = await Archive.open(archivePath(flags), { readOnly: true });
  try {
    const filter = resolveSenders(archive.db, flagged);
    const result = await exportArchive(archive, { format, out: flags.out, filter, force: flags.force === true, names: names as NameChoice, media: media as MediaMode, ...(lang ? { lang } : {}) }).catch((err: unknown) => {
      // Naming a group the archive lacks is a mistake in the call.
      if (err instanceof SelectionError) throw usageFrom(err);
      throw err;
    });
    if (flags.json) printJson(result);
    else {
      const words = cliWords(cliLang(flags.lang));
      const line = `${words.wrote({
        messages: result.messages,
        groups: result.groups,
        mediaFiles: result.media.files,
        mediaSize: formatBytes(result.media.bytes),
        ...(flags.out === '-' ? {} : { out: flags.out }),
        html: format === 'html',
      })}\n`;
      const damaged = result.damaged ? `${messageList(words.damagedExported(result.damaged.length), result.damaged, words)}\n${words.damagedNext}\n` : '';
      (flags.out === '-' ? process.stderr : process.stdout).write(line + damaged);
    }
    return 0;
  } finally {
    await archive.close();
  }
}

export function langOf(value: string): Lang {
  const lang = parseLang(value);
  if (!lang) throw usage('lang', { choices: LANGS, got: value });
  return lang;
}

