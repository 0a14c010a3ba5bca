import { type BackupSummary, type GroupSummary, runBackup } from '../../engine/backup';
import { listGroups } from '../../engine/directory';
import { BackupArchive } from '../../engine/archive-file';
import { NoSuchRun, nothingToRetry, retryTargets } from '../../engine/retry';
import { archivePath } from '../config';
import { connect, type ConnectFlags } from '../connect';
import { EXIT } from '../exit';
import { count, formatDuration, printJson, progressReporter, table, tellJournal } from '../output';
import { usage, usageFrom } from '../usage';
import { cliLang, cliWords, messageList } from '../words';
import { type MediaFlags, mediaDownloadFrom } from '../media-flags';
import { describeMediaRun, mediaWords } from '../../media/words';
import type { Lang } from '../../export/i18n';
import { langOf } from './export';

export interface BackupFlags extends ConnectFlags, MediaFlags {
  lookback?: string;
  'profile-age'?: string;
  /** A run whose unfinished groups to back up again ("retry what failed"). */
  retry?: string;
}

export async function backupCommand(flags: BackupFlags, groupIds: string[]): Promise<number> {
  const { client, pacer, sdkAppId, endpoint } = connect(flags);
  const media = mediaDownloadFrom(flags, endpoint);
  const lookback = flags.lookback === undefined ? undefined : Number(flags.lookback);
  if (lookback !== undefined && !(Number.isInteger(lookback) && lookback >= 0)) {
    throw usage('lookback', { got: flags.lookback });
  }
  const ageHours = flags['profile-age'] === undefined ? undefined : Number(flags['profile-age']);
  if (ageHours !== undefined && !(ageHours >= 0 && Number.isFinite(ageHours))) {
    throw usage('profile-age', { got: flags['profile-age'] });
  }
  const retryOf = flags.retry === undefined ? undefined : Number(flags.retry);
  if (retryOf !== undefined && !(Number.isSafeInteger(retryOf) && retryOf > 0)) {
    throw usage('retry-run', { got: flags.retry });
  }
  if (retryOf !== undefined && groupIds.length > 0) throw usage('retry-no-groups');
  // An existing file is validated (corrupt, foreign, locked, unwritable) before any request is made; a new one is
  // created only when the run has something to store.
  const archive = await BackupArchive.prepare(archivePath(flags), tellJournal);
  const abort = new AbortController();
  const onSigint = () => abort.abort(new Error('Cancelled'));
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  let summary: BackupSummary | undefined;
  try {
    let retry: ReturnType<typeof retryTargets> | undefined;
    if (retryOf !== undefined) {
      if (!archive.existing) throw usageFrom(new NoSuchRun(retryOf), 'see-history');
      try {
        retry = retryTargets(archive.existing, retryOf);
      } catch (err) {
        if (err instanceof NoSuchRun) throw usageFrom(err, 'see-history');
        throw err;
      }
      if (retry.length === 0) {
        if (flags.json) printJson({ retryOf, groups: [] });
        else process.stdout.write(`${nothingToRetry(retryOf)[cliLang(flags.lang)]}\n`);
        return EXIT.ok;
      }
    }
    const targets =
      retry ??
      (groupIds.length > 0
        ? groupIds.map((groupId) => ({ groupId }))
        : (await listGroups({ api: client, pacer, signal: abort.signal })).filter((g) => g.keepsHistory).map((g) => ({ groupId: g.groupId })));
    const progress = progressReporter();
    summary = await runBackup({
      api: client,
      archive: archive.forRun,
      sdkAppId,
      pacer,
      targets,
      signal: abort.signal,
      trigger: 'cli',
      retryOf,
      onProgress: flags.json ? undefined : (p) => progress.update(p),
      media,
      ...(lookback !== undefined ? { lookback } : {}),
      // One age for all that is known of people: profiles and member lists.
      ...(ageHours !== undefined ? { profileMaxAgeMs: ageHours * 3600_000, memberListMaxAgeMs: ageHours * 3600_000 } : {}),
    });
    progress.end();
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    await archive.close();
  }
  const exitCode = { ok: EXIT.ok, partial: EXIT.partial, cancelled: EXIT.cancelled, failed: EXIT.failed }[summary.outcome];
  const lang = flags.lang !== undefined ? langOf(flags.lang) : cliLang();
  const words = cliWords(lang);
  if (flags.json) {
    // People read the reasons in the CLI's language; the shape stays what it was (one `reason` string).
    const { said, ...rest } = summary;
    const stored = { ...rest, groups: rest.groups.map(({ reasonSaid, ...g }) => ({ ...g, ...(g.reason !== undefined ? { reason: reasonSaid?.[lang] ?? g.reason } : {}) })) };
    printJson(summary.outcome === 'ok' ? stored : { ...stored, error: { code: OUTCOME_CODE[summary.outcome], message: said?.[lang] ?? describeOutcome(summary, lang), exitCode } });
    return exitCode;
  }
  process.stdout.write(`${describeSummary(summary, lang, mediaWords(lang))}\n`);
  if (summary.outcome === 'failed') {
    const reasons = summary.groups.filter((g) => g.reason).map((g) => `  ${g.groupId || '(empty ID)'}: ${g.reasonSaid?.[lang] ?? g.reason}`);
    process.stderr.write(`tim-backup: ${summary.said?.[lang] ?? words.backupFailed}\n${reasons.join('\n')}\n`);
  }
  return exitCode;
}

/** Stable codes of a run that did not simply succeed (--json; the README lists them). */
const OUTCOME_CODE = { partial: 'backup-partial', cancelled: 'cancelled', failed: 'backup-failed' } as const;

function describeOutcome(s: BackupSummary, lang: Lang): string {
  const words = cliWords(lang);
  return s.outcome === 'failed' ? words.outcome.failed(s.said?.[lang] ?? words.backupFailed) : words.outcome[s.outcome];
}

function describeSummary(s: BackupSummary, lang: Lang, media: ReturnType<typeof mediaWords>): string {
  const words = cliWords(lang);
  const rows = s.groups.map((g) => [
    // A topic is listed under its group's ID, indented, as `groups` and `status` list it.
    g.topicId ? `  ${g.topicId}` : g.groupId,
    g.state,
    String(g.messagesStored),
    g.top !== undefined ? String(g.top) : '',
    g.edge !== undefined && g.edge > 1 ? words.expiredBelow(g.edge) : '',
    g.failedRanges.length > 0 ? g.failedRanges.map((r) => `${r.lo}-${r.hi}`).join(' ') : '',
    g.reasonSaid?.[lang] ?? g.reason ?? '',
  ]);
  const head = describeOutcome(s, lang);
  return [
    table(words.backupHeader, rows),
    `${count(s.messagesStored, 'new message')}, ${count(s.requests, 'request')}, ${count(s.retries, 'retry', 'retries')}, ${count(s.rateLimited, 'rate-limit answer')}, in ${formatDuration(s.elapsedMs / 1000)}.`,
    ...(s.people
      ? [`People: ${s.people.groupsListed} member lists (${s.people.members} members), ${s.people.profilesFetched} profiles, ${s.people.requests} requests.${s.people.problems.map((p) => `\n  ${p}`).join('')}`]
      : []),
    ...damageLines(s, words),
    ...(s.media ? [describeMediaRun(media, s.media)] : []),
    head,
  ].join('\n');
}

/** Damaged messages this run replaced from Tencent, and those it could not (Tencent no longer keeps them). */
function damageLines(s: BackupSummary, words: ReturnType<typeof cliWords>): string[] {
  const refs = (pick: (g: GroupSummary) => number[] | undefined) =>
    s.groups.flatMap((g) => (pick(g) ?? []).map((seq) => ({ groupId: g.groupId, ...(g.topicId ? { topicId: g.topicId } : {}), seq })));
  const repaired = refs((g) => g.repairedSeqs);
  // A group the run did not finish may still get its damaged messages replaced by the next run.
  const kept = refs((g) => (g.state === 'done' || g.state === 'partial' ? g.damagedSeqs : undefined));
  return [
    ...(repaired.length > 0 ? [messageList(words.repaired(repaired.length), repaired, words)] : []),
    ...(kept.length > 0 ? [messageList(words.beyondRetention(kept.length), kept, words)] : []),
  ];
}
