// `tim-backup media [--failed] [--json]`: the media of the archived messages that are not in the store, and why.
// `tim-backup media retry`: downloads what is pending or failed, without a backup (no SecretKey needed).

import { Archive, type MissingMedia } from '../../archive';
import { systemLang } from '../../export/i18n';
import { formatBytes } from '../../export/units';
import { MediaDownloader } from '../../media/downloader';
import { parseReason } from '../../media/reasons';
import { describeMediaRun, mediaWords, reasonText } from '../../media/words';
import { archivePath } from '../config';
import { EXIT } from '../exit';
import { endpointOf, type MediaFlags, mediaDownloadFrom } from '../media-flags';
import { formatTime, printable, printJson, table } from '../output';
import { usage } from '../usage';
import { langOf } from './export';

export interface MediaCommandFlags extends MediaFlags {
  failed?: boolean;
}

export async function mediaCommand(flags: MediaCommandFlags, args: string[]): Promise<number> {
  if (args.length === 1 && args[0] === 'retry') return retry(flags);
  if (args.length > 0) throw usage('media-args', { got: args.join(' ') });
  const words = mediaWords(flags.lang !== undefined ? langOf(flags.lang) : systemLang());
  const archive = await Archive.open(archivePath(flags), { readOnly: true });
  try {
    const groups = new Map(archive.groups().map((g) => [g.gid, g]));
    const missing = archive.missingMedia(flags.failed === true);
    const where = (m: MissingMedia) => {
      const g = groups.get(m.gid);
      return { groupId: g?.groupId ?? '', ...(g?.topicId ? { topicId: g.topicId } : {}) };
    };
    if (flags.json) {
      printJson(
        missing.map((m) => {
          const r = m.lastError ? parseReason(m.lastError) : undefined;
          return {
            ...where(m), seq: m.seq, time: m.time, key: m.key, kind: m.kind, rendition: m.rendition, fileName: m.fileName, declaredSize: m.declaredSize,
            state: m.state, attempts: m.attempts, ...(r ? { reason: r.code ?? null, detail: r.detail, why: reasonText(words, m.lastError) } : {}),
          };
        }),
      );
      return EXIT.ok;
    }
    if (missing.length === 0) {
      process.stdout.write(`${words.nothingMissing}\n`);
      return EXIT.ok;
    }
    const h = words.header;
    const rows = missing.map((m) => {
      const w = where(m);
      return [
        w.topicId ?? w.groupId,
        `#${m.seq} ${formatTime(m.time * 1000)}`,
        words.kinds[m.kind],
        // A file name comes from chat content: shown, never used as a path, stripped of terminal controls.
        printable(m.fileName ?? ''),
        m.declaredSize > 0 ? formatBytes(m.declaredSize) : '',
        words.states[m.state],
        reasonText(words, m.lastError),
      ];
    });
    process.stdout.write(`${table([h.group, h.message, h.kind, h.name, h.size, h.state, h.why], rows)}\n`);
    return EXIT.ok;
  } finally {
    await archive.close();
  }
}

async function retry(flags: MediaCommandFlags): Promise<number> {
  const words = mediaWords(flags.lang !== undefined ? langOf(flags.lang) : systemLang());
  const options = mediaDownloadFrom(flags, endpointOf(flags));
  const archive = await Archive.open(archivePath(flags));
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const summary = await new MediaDownloader({ ...options, archive, signal: abort.signal }).finish();
    archive.commit();
    if (flags.json) printJson(summary);
    else process.stdout.write(`${describeMediaRun(words, summary)}\n`);
    if (summary.unavailable) return EXIT.failed;
    if (abort.signal.aborted) return EXIT.cancelled;
    return summary.failed > 0 || summary.waiting > 0 ? EXIT.partial : EXIT.ok;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await archive.close();
  }
}
