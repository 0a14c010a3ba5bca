// The OS notification at the end of a backup, and whether to show it. Whether the archive is complete is never
// counted here: each group's verdict comes from app/coverage (the worker's listGroups from the archive), its
// sentence from app/coverage's describe() in the dictionary of app/export/i18n, so the notification says what
// the Groups and coverage screens, `tim-backup status` and the exports say. Deadlines come from app/schedule.

import { type Completeness, describe } from '../coverage/verdict';
import { dictionary, type Lang } from '../export/i18n';
import type { Events, GroupStatus, NavigateTarget, RunTrigger } from '../ipc/contract';
import { desktopWords, type StopCause } from './words';

/** One stream's verdict as the archive states it (a GroupEntry of listGroups 'archive'). */
export interface StreamVerdict {
  groupId: string;
  topicId?: string;
  name?: string;
  completeness: Completeness;
}

export interface BackupNoticeInput {
  done: Events['backupDone'];
  /** The archive's verdicts after the run; those of the streams the run backed up are used. */
  streams: readonly StreamVerdict[];
  /** The profile's groups after the run (the Overview's): those 'expiring-soon' are the deadline warning. */
  groups: readonly GroupStatus[];
  lang: Lang;
  timeZone: string;
}

export type NoticeKind = 'done' | 'gaps' | 'failed' | 'cancelled' | 'attention';

export interface Notice {
  kind: NoticeKind;
  title: string;
  body: string;
  /** The screen a click on it opens (`explainingScreen`). */
  target: NavigateTarget;
}

type StreamRef = { groupId: string; topicId?: string };

/** What a notification told, as far as the screen that explains it depends on it. */
export type NoticeAbout =
  /** A backup ended (well, failed or stopped): its run. */
  | { kind: 'done' | 'failed' | 'cancelled'; runId?: number }
  /** A backup left groups incomplete: those groups. */
  | { kind: 'gaps'; groups: readonly StreamRef[] }
  /** A deadline under a day away (alone, or on top of a backup's end). */
  | { kind: 'attention' }
  /** A backup paused by sleep continues. */
  | { kind: 'resumed' }
  /** A scheduled backup could not start, by the ErrorKind that stopped it. */
  | { kind: 'cannot-start'; cause: string };

/** A start that a refused or missing key stopped: the profile's setup is where it is mended. */
const KEY_CAUSES: ReadonlySet<string> = new Set(['credentials', 'no-secret-key']);

/**
 * The screen that explains a notification, opened when the person clicks it: a backup's end in the run history
 * at that run, groups left incomplete on their Coverage, a deadline on the Overview (where each group's deadline
 * and what needs attention are), a continued backup on the Backup screen, a refused key in Setup.
 */
export function explainingScreen(profile: string, about: NoticeAbout): NavigateTarget {
  switch (about.kind) {
    case 'done':
    case 'failed':
    case 'cancelled':
      return { profile, screen: 'history', ...(about.runId !== undefined ? { runId: about.runId } : {}) };
    case 'gaps':
      return { profile, screen: 'coverage', groups: about.groups.map((g) => ({ groupId: g.groupId, ...(g.topicId ? { topicId: g.topicId } : {}) })) };
    case 'attention':
      return { profile, screen: 'overview' };
    case 'resumed':
      return { profile, screen: 'backup' };
    case 'cannot-start':
      return { profile, screen: KEY_CAUSES.has(about.cause) ? 'setup' : 'overview' };
  }
}

/** Named in the deadline warning before "and N more". */
const NAMED_GROUPS = 2;

const STOP_CAUSES: ReadonlySet<string> = new Set<StopCause>(['network', 'credentials', 'no-secret-key', 'rate-limited', 'archive-locked', 'archive-unwritable', 'archive-unreadable']);

export function backupNotice({ done, streams, groups, lang, timeZone }: BackupNoticeInput): Notice {
  const w = desktopWords(lang).notice;
  const count = new Intl.NumberFormat(lang);
  const s = done.summary;
  const expiring = expiringSentence(done.profile, groups, lang, timeZone);
  const ofRun = (kind: 'done' | 'failed' | 'cancelled') => explainingScreen(done.profile, { kind, ...(s.runId !== undefined ? { runId: s.runId } : {}) });
  const withDeadline = (notice: Notice): Notice =>
    expiring ? { kind: 'attention', title: w.attentionTitle, body: w.sentences([notice.body, expiring]), target: explainingScreen(done.profile, { kind: 'attention' }) } : notice;

  if (s.outcome === 'failed') {
    const body = s.errorKind !== undefined && STOP_CAUSES.has(s.errorKind) ? w.failedBecause(done.profile, w.stopCause[s.errorKind as StopCause]) : w.failed(done.profile);
    return withDeadline({ kind: 'failed', title: w.failedTitle, body, target: ofRun('failed') });
  }
  if (s.outcome === 'cancelled') return withDeadline({ kind: 'cancelled', title: w.cancelledTitle, body: w.cancelled(done.profile), target: ofRun('cancelled') });

  const ran = new Set(s.groups.filter((g) => g.state !== 'skipped').map((g) => streamKey(g)));
  const verdicts = streams.filter((v) => ran.has(streamKey(v)));
  const whole = verdicts.filter((v) => v.completeness.state === 'complete' || v.completeness.state === 'complete-since');
  const news = w.newMessages(done.profile, s.messagesStored, count.format(s.messagesStored));
  if (whole.length === verdicts.length) {
    return withDeadline({ kind: 'done', title: w.doneTitle, body: verdicts.length > 0 ? w.sentences([news, w.allComplete(verdicts.length, count.format(verdicts.length))]) : news, target: ofRun('done') });
  }
  const worst = verdicts.find((v) => v.completeness.state === 'incomplete') ?? verdicts.find((v) => !whole.includes(v))!;
  const d = dictionary(lang);
  const date = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone });
  const verdict = describe(worst.completeness, d.completeness, { count: (n) => count.format(n), date: (sec) => date.format(sec * 1000) });
  const parts = [news, w.someComplete(count.format(whole.length), count.format(verdicts.length)), w.groupVerdict(worst.name ?? worst.groupId, verdict.text)];
  // The worst first: the Coverage screen opens on it.
  const incomplete = [worst, ...verdicts.filter((v) => v !== worst && !whole.includes(v))];
  return withDeadline({ kind: 'gaps', title: w.gapsTitle, body: w.sentences(parts), target: explainingScreen(done.profile, { kind: 'gaps', groups: incomplete }) });
}

/**
 * A deadline under a day away with no backup under way to meet it (a profile without a schedule): told once per
 * deadline (`expiresAt`, the earliest), until a backup moves it.
 */
export function deadlineNotice(profile: string, groups: readonly GroupStatus[], lang: Lang, timeZone: string): (Notice & { expiresAt: number }) | undefined {
  const soon = expiring(groups);
  if (!soon) return undefined;
  return { kind: 'attention', title: desktopWords(lang).notice.attentionTitle, body: expiringSentence(profile, groups, lang, timeZone)!, target: explainingScreen(profile, { kind: 'attention' }), expiresAt: soon.at };
}

/** The groups whose oldest messages not archived may expire at Tencent within a day, and the earliest moment. */
function expiring(groups: readonly GroupStatus[]): { groups: GroupStatus[]; at: number } | undefined {
  const soon = groups.filter((g) => g.attention.includes('expiring-soon') && g.skippedReason === undefined);
  if (soon.length === 0) return undefined;
  return { groups: soon, at: Math.min(...soon.map((g) => g.deadline.expiresAt ?? g.deadline.dueAt)) };
}

function expiringSentence(profile: string, groups: readonly GroupStatus[], lang: Lang, timeZone: string): string | undefined {
  const soon = expiring(groups);
  if (!soon) return undefined;
  const w = desktopWords(lang).notice;
  const when = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(soon.at);
  return w.expiring(profile, w.groupList(soon.groups.slice(0, NAMED_GROUPS).map((g) => g.name ?? g.groupId), soon.groups.length), when);
}

function streamKey(g: StreamRef): string {
  return `${g.groupId}\n${g.topicId ?? ''}`;
}

export interface NoticeContext {
  trigger: RunTrigger;
  /** The window is open and has focus: the person is watching. */
  focused: boolean;
  /** The run took long enough that a person may have turned to something else. */
  long: boolean;
  /** The run was stopped because the computer went to sleep: it continues on wake, and says so then. */
  paused: boolean;
}

/**
 * Failures, gaps and deadlines are always told; a finished backup only to someone who started it and looked away
 * (a scheduled one that went well is the quiet normal: the tray and the Overview show it).
 */
export function shouldNotify(notice: Notice, ctx: NoticeContext): boolean {
  if (ctx.paused) return false;
  switch (notice.kind) {
    case 'failed':
    case 'gaps':
    case 'attention':
      return true;
    case 'cancelled':
      return !ctx.focused;
    case 'done':
      return ctx.trigger === 'manual' && (ctx.long || !ctx.focused);
  }
}
