import { Archive } from '../../archive';
import { runHistory } from '../../schedule/history';
import { archivePath, type GlobalFlags } from '../config';
import { EXIT } from '../exit';
import { formatDuration, formatTime, printJson, table } from '../output';
import { usage } from '../usage';

export interface HistoryFlags extends GlobalFlags {
  limit?: string;
}

const OUTCOME_WORDS = { ok: 'complete', partial: 'with gaps', failed: 'FAILED', cancelled: 'cancelled', running: 'running' } as const;
const TRIGGER_WORDS = { manual: 'by hand (app)', scheduled: 'scheduled (app)', cli: 'command line' } as const;

/** The archive's backup runs, newest first: what started each, when, how long it took and what came of it. */
export async function historyCommand(flags: HistoryFlags): Promise<number> {
  const limit = flags.limit === undefined ? 20 : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1) throw usage('history-limit', { got: flags.limit });
  const archive = await Archive.open(archivePath(flags), { readOnly: true });
  try {
    const runs = runHistory(archive, { limit });
    if (flags.json) {
      printJson(runs);
      return EXIT.ok;
    }
    if (runs.length === 0) {
      process.stdout.write(`The archive ${archive.path} has no backups yet. Run "tim-backup backup" first.\n`);
      return EXIT.ok;
    }
    const rows = runs.map((r) => [
      String(r.runId),
      formatTime(r.startedAt),
      r.trigger ? TRIGGER_WORDS[r.trigger] : '',
      r.durationMs !== undefined ? formatDuration(r.durationMs / 1000) : '',
      OUTCOME_WORDS[r.outcome],
      r.newMessages.toLocaleString('en-US'),
      r.failedMessages > 0 ? r.failedMessages.toLocaleString('en-US') : '',
      r.media ? r.media.stored.toLocaleString('en-US') : '',
      r.media && r.media.failed > 0 ? r.media.failed.toLocaleString('en-US') : '',
    ]);
    process.stdout.write(`${table(['RUN', 'STARTED', 'STARTED BY', 'TOOK', 'OUTCOME', 'NEW MESSAGES', 'NOT FETCHED', 'MEDIA STORED', 'MEDIA FAILED'], rows)}\n\n`);
    for (const r of runs) {
      const retry = r.canRetry ? ` To retry what failed: tim-backup backup --retry ${r.runId}` : '';
      const of = r.retryOf !== undefined ? ` (a retry of run ${r.retryOf})` : '';
      process.stdout.write(`Run ${r.runId}${of}: ${r.description}${retry}\n`);
    }
    return EXIT.ok;
  } finally {
    await archive.close();
  }
}
