// The run history as people read it: per run, what started it, when, how long it took, what came of it, and in
// one sentence what went wrong — the app's history screen and `tim-backup history` show the same entries.

import type { Archive, GroupRow, RunRecord } from '../archive';
import type { BackupSummary } from '../engine/backup';
import { retryTargets } from '../engine/retry';
import { formatBytes } from '../export/units';
import type { RunEntry, RunGroupEntry, RunMedia } from './types';

export type { RunEntry, RunGroupEntry, RunMedia } from './types';

/** Runs newest first (`before`: a run ID, to page back). */
export function runHistory(archive: Archive, opts: { limit?: number; before?: number } = {}): RunEntry[] {
  const groups = new Map(archive.groups().map((g) => [g.gid, g]));
  return archive.runs(opts).map((r) => runEntry(archive, r, groups));
}

function runEntry(archive: Archive, r: RunRecord, groups: Map<number, GroupRow>): RunEntry {
  const s = summaryOf(r.summary);
  const parts = archive.runGroups(r.runId).map((p): RunGroupEntry => {
    const g = groups.get(p.gid);
    return {
      groupId: g?.groupId ?? '',
      ...(g?.topicId ? { topicId: g.topicId } : {}),
      ...(g?.name !== undefined ? { name: g.name } : {}),
      state: p.state,
      newMessages: p.newMessages,
      failedMessages: p.failedSeqs,
      ...(p.reason !== undefined ? { reason: p.reason } : {}),
    };
  });
  // Groups the run skipped before registering them are only in its summary.
  const registered = new Set(parts.map((p) => `${p.groupId}\n${p.topicId ?? ''}`));
  for (const g of s.groups ?? []) {
    if (g.state !== 'skipped' || registered.has(`${g.groupId}\n${g.topicId ?? ''}`)) continue;
    parts.push({ groupId: g.groupId, ...(g.topicId ? { topicId: g.topicId } : {}), state: 'skipped', newMessages: 0, failedMessages: 0, ...(g.reason ? { reason: g.reason } : {}) });
  }
  const entry = {
    runId: r.runId,
    ...(r.trigger ? { trigger: r.trigger } : {}),
    ...(r.retryOf !== undefined ? { retryOf: r.retryOf } : {}),
    startedAt: r.startedAt,
    ...(r.finishedAt !== undefined ? { finishedAt: r.finishedAt, durationMs: r.finishedAt - r.startedAt } : {}),
    outcome: r.outcome,
    newMessages: s.messagesStored ?? parts.reduce((n, p) => n + p.newMessages, 0),
    requests: s.requests ?? 0,
    retries: s.retries ?? 0,
    failedMessages: parts.reduce((n, p) => n + p.failedMessages, 0),
    ...(s.media ? { media: s.media } : {}),
    groups: parts,
    ...(s.error ? { error: s.error } : {}),
  };
  // An ok run has nothing to retry unless its own media failed (not those an earlier run left failing).
  const hadFailures = r.outcome !== 'ok' || (s.media?.failed ?? 0) > 0;
  const canRetry = r.outcome !== 'running' && hadFailures && retryTargets(archive, r.runId).length > 0;
  return { ...entry, description: describeRun(entry), canRetry };
}

/** The fields of a recorded summary this history reads, whatever version wrote it (or a hand-edited one). */
function summaryOf(summary: unknown): Partial<Pick<BackupSummary, 'messagesStored' | 'requests' | 'retries' | 'error' | 'groups'> & { media: RunMedia }> {
  if (typeof summary !== 'object' || summary === null) return typeof summary === 'string' ? { error: summary } : {};
  const s = summary as Record<string, unknown>;
  const num = (k: string) => (typeof s[k] === 'number' ? { [k]: s[k] } : {});
  return {
    ...num('messagesStored'),
    ...num('requests'),
    ...num('retries'),
    ...(typeof s.error === 'string' ? { error: s.error } : {}),
    ...(Array.isArray(s.groups) ? { groups: s.groups.filter((g): g is BackupSummary['groups'][number] => typeof g?.groupId === 'string') } : {}),
    ...mediaOf(s.media),
  };
}

/** A recorded MediaRunSummary's counts; a missing count is 0 (a summary from before it existed). */
function mediaOf(m: unknown): { media?: RunMedia } {
  if (typeof m !== 'object' || m === null) return {};
  const r = m as Record<string, unknown>;
  const n = (k: string) => (typeof r[k] === 'number' && Number.isFinite(r[k]) ? r[k] : 0);
  return {
    media: {
      stored: n('stored'),
      storedBytes: n('storedBytes'),
      failed: n('failed'),
      expired: n('expired'),
      tooLarge: n('tooLarge'),
      waiting: n('waiting'),
      ...(typeof r.unavailable === 'string' ? { unavailable: r.unavailable } : {}),
    },
  };
}

/** "1 group", "1,234 messages": a count with its noun (plural by adding s, or as given); the CLI's too. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : plural}`;
}

export function describeRun(e: Omit<RunEntry, 'description' | 'canRetry'>): string {
  const news = count(e.newMessages, 'new message');
  const skipped = e.groups.filter((g) => g.state === 'skipped');
  const failedGroups = e.groups.filter((g) => g.failedMessages > 0);
  const notFetched = e.failedMessages > 0 ? ` ${count(e.failedMessages, 'message')} in ${count(failedGroups.length, 'group')} could not be fetched: back up again, or retry what failed, to fetch them.` : '';
  const skips = skipped.map((g) => ` Skipped ${g.name ?? g.groupId}: ${sentence(g.reason ?? 'no reason was recorded')}`).join('');
  // A group can stop short without failed messages: its newest messages could not even be looked up.
  const unfinished = e.groups
    .filter((g) => g.state === 'partial' && g.failedMessages === 0 && g.reason)
    .map((g) => ` ${g.name ?? g.groupId}: ${sentence(g.reason!)}`)
    .join('');
  const media = e.media && describeRunMedia(e.media) ? ` ${describeRunMedia(e.media)}` : '';
  switch (e.outcome) {
    case 'ok':
      return `Backed up ${count(e.groups.length - skipped.length, 'group')}: ${news}.${media}`;
    case 'partial':
      return `Finished with gaps: ${news}.${notFetched}${unfinished}${skips}${media}`;
    case 'cancelled':
      return `Cancelled: ${news} saved. The next backup continues where this one stopped.`;
    case 'running':
      return 'Running now.';
    default:
      return `Failed: ${sentence(e.error ?? 'no reason was recorded')}${e.newMessages > 0 ? ` ${news} ${e.newMessages === 1 ? 'was' : 'were'} saved before it stopped.` : ''}`;
  }
}

/** "Media: 12 files stored (3.4 MB), 2 failed: retry what failed to download them again." Empty when none came up. */
export function describeRunMedia(m: RunMedia): string {
  if (m.unavailable) return `Media could not be downloaded: ${sentence(m.unavailable)}`;
  if (m.stored + m.failed + m.expired + m.tooLarge + m.waiting === 0) return '';
  const parts = [
    `${count(m.stored, 'file')} stored${m.stored > 0 ? ` (${formatBytes(m.storedBytes)})` : ''}`,
    ...(m.failed > 0 ? [`${m.failed.toLocaleString('en-US')} failed`] : []),
    ...(m.expired > 0 ? [`${m.expired.toLocaleString('en-US')} already deleted by Tencent`] : []),
    ...(m.tooLarge > 0 ? [`${m.tooLarge.toLocaleString('en-US')} over the size limit`] : []),
    ...(m.waiting > 0 ? [`${m.waiting.toLocaleString('en-US')} still to download`] : []),
  ];
  const next = m.failed > 0 ? ': retry what failed to download them again.' : m.waiting > 0 ? ': the next backup continues them.' : '.';
  return `Media: ${parts.join(', ')}${next}`;
}

function sentence(text: string): string {
  return /[.!?。]$/u.test(text) ? text : `${text}.`;
}
