import { Archive } from '../../archive';
import { type BackupSummary, runBackup } from '../../engine/backup';
import { listGroups } from '../../engine/directory';
import { archivePath } from '../config';
import { connect, type ConnectFlags } from '../connect';
import { EXIT } from '../exit';
import { formatDuration, printJson, progressReporter, table } from '../output';
import { UsageError } from '../usage';

export interface BackupFlags extends ConnectFlags {
  lookback?: string;
  'checkpoint-every'?: string;
}

export async function backupCommand(flags: BackupFlags, groupIds: string[]): Promise<number> {
  const { client, pacer, sdkAppId } = connect(flags);
  const lookback = flags.lookback === undefined ? undefined : Number(flags.lookback);
  if (lookback !== undefined && !(Number.isInteger(lookback) && lookback >= 0)) {
    throw new UsageError(`--lookback must be a whole number of Seqs (got "${flags.lookback}").`);
  }
  const every = flags['checkpoint-every'] === undefined ? undefined : Number(flags['checkpoint-every']);
  if (every !== undefined && !(every > 0 && every <= 3600)) {
    throw new UsageError(`--checkpoint-every must be a number of seconds between 0 and 3600 (got "${flags['checkpoint-every']}").`);
  }
  // Opening first validates the file (corrupt, foreign, locked, unwritable) before any request is made.
  const archive = await Archive.open(archivePath(flags), { create: true });
  const abort = new AbortController();
  const onSigint = () => abort.abort(new Error('Cancelled'));
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  let summary: BackupSummary | undefined;
  try {
    const targets =
      groupIds.length > 0
        ? groupIds.map((groupId) => ({ groupId }))
        : (await listGroups({ api: client, pacer, signal: abort.signal })).filter((g) => g.keepsHistory).map((g) => ({ groupId: g.groupId }));
    const progress = progressReporter();
    summary = await runBackup({
      api: client,
      archive,
      sdkAppId,
      pacer,
      targets,
      signal: abort.signal,
      onProgress: flags.json ? undefined : (p) => progress.update(p),
      ...(lookback !== undefined ? { lookback } : {}),
      ...(every !== undefined ? { checkpointEveryMs: every * 1000 } : {}),
    });
    progress.end();
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    // A run that never started (bad credentials, nothing to back up) leaves the archive as it was.
    await archive.close({ checkpoint: summary !== undefined && summary.runId !== 0 });
  }
  if (flags.json) printJson(summary);
  else process.stdout.write(`${describeSummary(summary)}\n`);
  if (summary.outcome === 'failed') {
    const reasons = summary.groups.filter((g) => g.reason).map((g) => `  ${g.groupId || '(empty ID)'}: ${g.reason}`);
    process.stderr.write(`tim-backup: ${summary.error ?? 'backup failed'}\n${reasons.join('\n')}\n`);
  }
  switch (summary.outcome) {
    case 'ok':
      return EXIT.ok;
    case 'partial':
      return EXIT.partial;
    case 'cancelled':
      return EXIT.cancelled;
    default:
      return EXIT.failed;
  }
}

function describeSummary(s: BackupSummary): string {
  const rows = s.groups.map((g) => [
    // A topic is listed under its group's ID, indented, as `groups` and `status` list it.
    g.topicId ? `  ${g.topicId}` : g.groupId,
    g.state,
    String(g.messagesStored),
    g.top !== undefined ? String(g.top) : '',
    g.edge !== undefined && g.edge > 1 ? `below ${g.edge} expired` : '',
    g.failedRanges.length > 0 ? g.failedRanges.map((r) => `${r.lo}-${r.hi}`).join(' ') : '',
    g.reason ?? '',
  ]);
  const head = {
    ok: 'Backup complete.',
    partial: 'Backup finished WITH GAPS: some groups were skipped or some messages could not be fetched. Run the backup again to retry what failed.',
    cancelled: 'Backup cancelled. Everything fetched so far is saved; run the backup again to continue.',
    failed: `Backup FAILED: ${s.error ?? 'unknown error'}`,
  }[s.outcome];
  return [
    table(['GROUP', 'STATE', 'NEW MESSAGES', 'NEWEST SEQ', 'RETENTION', 'FAILED SEQS', 'NOTE'], rows),
    `${s.messagesStored} new messages, ${s.requests} requests, ${s.retries} retries, ${s.rateLimited} rate-limit answers, in ${formatDuration(s.elapsedMs / 1000)}.`,
    head,
  ].join('\n');
}
