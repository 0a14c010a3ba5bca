// One backup run over several groups of one app.
//
// Per group: learn the newest Seq (get_group_info's NextMsgSeq − 1), work out what the archive still lacks
// (its gaps, plus a short look-back below the archived top to catch recent recalls and deletions), find the
// retention edge if the bottom was never reached, then fetch the missing Seqs as 20-Seq windows — oldest first,
// because the oldest expire first. Windows of every group go through one concurrency limit and the app's one
// pacer, so even a single group runs at the pacer's rate whatever the latency. When the queue is drained, groups
// that grew meanwhile are topped up. The archive commits every second or so and at the end, so a crash loses at
// most that much, and coverage (committed with the messages it vouches for) makes the next run fetch exactly
// what is still missing.
//
// At 150 ms per round trip every serial step costs ~3% of a single group's run, so none is left alone on the
// wire: the oldest windows, which need no newest Seq, are read while get_group_info is on its way
// (./headstart.ts), and the growth check travels with the round's last windows (./round.ts).

import { setMaxListeners } from 'node:events';
import { type Archive, type Range, mergeRanges, rangeSize, type RunTrigger } from '../archive';
import { type Said, saidOf, untranslated } from '../errors/said';
import { ImError } from '../im/errors';
import type { GroupInfo } from '../im/wire';
import { LIMITS, NO_HISTORY_TYPES, SERVICES } from '../im/wire';
import { DEFAULT_RETRY, type RetryPolicy } from './backoff';
import { type BackupApi, type CallContext, type EngineContext, type GroupRef, type HistoryApi, newCounters, type RunCounters } from './context';
import { findRetentionEdge } from './edge';
import { HeadStart, windowIndex } from './headstart';
import type { Pacer } from './pacer';
import { fetchPeople, type PeopleSummary, type PeopleTarget } from './people';
import { type GroupProgress, ProgressMeter, type RunProgress } from './progress';
import { GroupSkipped, WindowFailed, paced } from './request';
import { Limiter } from './limiter';
import { RoundEnd } from './round';
import { listTopics, mayHaveTopics, topicAsGroupInfo } from './topics';
import { readWindow, storeWindowRead } from './window';
import { MediaDownloader, type MediaDownloadOptions, type MediaRunSummary } from '../media/downloader';

export interface BackupTarget {
  groupId: string;
  topicId?: string;
}

export interface BackupOptions {
  api: BackupApi;
  /**
   * The archive, or how to open it once the run has something to store: a run that stops before that (wrong
   * credentials, no server, no group that can be backed up) then leaves no new file behind.
   */
  archive: Archive | (() => Promise<Archive>);
  sdkAppId: number;
  pacer: Pacer;
  targets: BackupTarget[];
  retry?: RetryPolicy;
  /** Requests in flight at most; the pacer sets the rate, this only has to cover rate × latency. */
  concurrency?: number;
  /** Seqs below the archived top that are read again to catch recalls and deletions. */
  lookback?: number;
  /** Rounds of topping up groups that grew during the run. */
  growthRounds?: number;
  signal?: AbortSignal;
  onProgress?: (p: RunProgress) => void;
  progressIntervalMs?: number;
  random?: () => number;
  /** Profiles fetched more recently than this (ms) are not asked for again; default one day. */
  profileMaxAgeMs?: number;
  /** Member lists read more recently than this (ms) are not read again unless MemberNum changed or a newcomer spoke;
   *  default a day (app/engine/people.ts). */
  memberListMaxAgeMs?: number;
  /** When names are seen (ms since the epoch): their history's clock. Default Date.now; tests move it. */
  now?: () => number;
  /**
   * Messages sent within this many days are checked for damage (a checksum that no longer matches) and read again
   * to replace them; default 90, Tencent's longest standard retention. Older damage is what `tim-backup verify`
   * finds: checking every row of a large archive on every run would cost seconds per million messages.
   */
  damageScanDays?: number;
  /** Recorded in the run history. */
  trigger?: RunTrigger;
  /** The run whose failures this one fetches again (./retry.ts), recorded in the run history. */
  retryOf?: number;
  /**
   * Media: the policy new media are recorded under, and the downloader's settings. Given, the run downloads the
   * media beside the messages and ends when both are done; absent, media are only recorded (pending) for later.
   */
  media?: Omit<MediaDownloadOptions, 'archive' | 'signal' | 'groups'>;
}

export type RunOutcome = 'ok' | 'partial' | 'failed' | 'cancelled';

export interface GroupSummary extends GroupProgress {
  failedRanges: Range[];
}

export interface BackupSummary extends RunCounters {
  runId: number;
  outcome: RunOutcome;
  /** Why the run stopped, when it did not finish (credentials, cancel, archive trouble): English, as stored. */
  error?: string;
  /** The same in every language, for the person who reads it. Not stored. */
  said?: Said;
  /** The error that stopped the run, for the caller to classify (what to tell a person to do). Not stored. */
  failure?: unknown;
  groups: GroupSummary[];
  /** The member lists and profiles read after the history (absent when the run stopped before); their calls are
   *  counted there, not in `requests`. */
  people?: PeopleSummary;
  /** What the media downloader did in this run (absent when media were not downloaded). */
  media?: MediaRunSummary;
  elapsedMs: number;
}

const UNFINISHED: ReadonlySet<GroupProgress['state']> = new Set(['queued', 'probing', 'fetching']);

export const DEFAULTS = { concurrency: 64, lookback: 100, growthRounds: 3, progressIntervalMs: 100, damageScanDays: 90 };

const W = LIMITS.msgsPerCall;

/**
 * `requests` caps the windows whose requests are in flight (what the pacer's rate × latency needs); `unstored`
 * also counts windows read but not stored yet, so answers cannot pile up in memory when storing falls behind.
 */
interface Slots {
  requests: Limiter;
  unstored: Limiter;
  stores: Stores;
}
const UNSTORED_PER_REQUEST_SLOT = 4;

/**
 * The stores in progress. The run ends (and saves) only after them, and none starts after that: a window whose
 * answer comes back once the run has stopped — cancelled, or past a group that failed — is fetched again by the
 * next run instead of changing the archive after its final commit.
 */
class Stores {
  private readonly pending = new Set<Promise<unknown>>();
  private closed = false;

  /** Runs `store` unless the run has ended (then undefined). */
  run<T>(store: () => Promise<T>): Promise<T> | undefined {
    if (this.closed) return undefined;
    const storing = store();
    this.pending.add(storing);
    const forget = () => this.pending.delete(storing);
    storing.then(forget, forget);
    return storing;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled(this.pending);
  }
}

interface GroupRun {
  ref: GroupRef;
  progress: GroupProgress;
  skipped: boolean;
  /** The oldest windows, read during the preflight, of a group whose bottom the archive has never reached. */
  headStart?: HeadStart;
  /** Seqs whose archived row was found damaged when the run planned the group: read again to replace them. */
  damaged?: number[];
}

export async function runBackup(opts: BackupOptions): Promise<BackupSummary> {
  const started = performance.now();
  const opened = typeof opts.archive === 'function' ? undefined : opts.archive;
  const stop = new AbortController();
  // Every waiting request listens for cancellation: dozens at once is by design, not a leak.
  setMaxListeners(0, stop.signal);
  const onUserAbort = () => stop.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onUserAbort, { once: true });
  const calls: CallContext = {
    pacer: opts.pacer,
    retry: opts.retry ?? DEFAULT_RETRY,
    signal: stop.signal,
    counters: newCounters(),
    random: opts.random ?? Math.random,
  };
  const runs: GroupRun[] = opts.targets.map(newRun);

  // Preflight, before the archive is touched: wrong credentials (thrown from here) or groups that cannot be
  // backed up must leave an existing archive exactly as it was. Windows read ahead meanwhile are only held.
  let infos: Map<string, GroupInfo | undefined>;
  try {
    const asked = streamInfos(calls, opts.api, runs.map((r) => r.ref), true);
    // An archive not opened yet holds nothing: every group's bottom is still to be found.
    const bottomless = opened ? unreachedBottoms(opened, opts.sdkAppId) : () => true;
    for (const run of runs) if (bottomless(run.ref)) run.headStart = new HeadStart({ ...calls, api: opts.api }, run.ref, asked);
    const answer = await asked;
    infos = answer.infos;
    for (const t of answer.topics) runs.push(newRun(t));
  } catch (err) {
    stop.abort(err);
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', onUserAbort);
  }
  for (const run of runs) {
    const reason = skipReason(infos.get(streamKey(run.ref)), run.ref);
    if (!reason) continue;
    Object.assign(run, { skipped: true, progress: { ...run.progress, state: 'skipped', reason: reason.en, reasonSaid: reason } });
    delete run.headStart;
  }
  if (runs.every((r) => r.skipped)) {
    stop.abort();
    return {
      runId: 0,
      outcome: 'failed',
      ...stopped(runs.length === 0 ? NO_GROUPS : NONE_CAN_BE_BACKED_UP),
      groups: runs.map((r) => ({ ...r.progress, failedRanges: [] })),
      ...calls.counters,
      elapsedMs: performance.now() - started,
    };
  }
  let archive: Archive;
  try {
    archive = typeof opts.archive === 'function' ? await opts.archive() : opts.archive;
  } catch (err) {
    stop.abort(err);
    throw err;
  }
  opts.signal?.addEventListener('abort', onUserAbort, { once: true });
  if (opts.signal?.aborted) stop.abort(opts.signal.reason);

  const runId = archive.beginRun({ trigger: opts.trigger, retryOf: opts.retryOf });
  const ctx: EngineContext = { ...calls, api: opts.api, archive, runId };
  // Beside the messages, not through the pacer: media are file downloads, and messages expire as fast.
  const downloader = opts.media && new MediaDownloader({ ...opts.media, archive, signal: stop.signal, groups: () => runs.map((r) => r.ref.gid).filter((gid) => gid > 0) });
  downloader?.start();
  const concurrency = opts.concurrency ?? DEFAULTS.concurrency;
  const slots: Slots = { requests: new Limiter(concurrency), unstored: new Limiter(UNSTORED_PER_REQUEST_SLOT * concurrency), stores: new Stores() };
  const meter = new ProgressMeter(opts.progressIntervalMs ?? DEFAULTS.progressIntervalMs, opts.onProgress);
  const snapshot = (done: boolean) => ({
    runId,
    elapsedMs: performance.now() - started,
    ...ctx.counters,
    windowsTotal: runs.reduce((n, r) => n + r.progress.windowsTotal, 0),
    pacerRate: ctx.pacer.rate,
    groups: runs.map((r) => ({ ...r.progress })),
    done,
  });
  const report = (force = false) => meter.update(() => snapshot(false), force);

  let fatal: unknown;
  let people: PeopleSummary | undefined;
  const fail = (err: unknown) => {
    fatal ??= err;
    stop.abort(err);
  };
  const growthRounds = opts.growthRounds ?? DEFAULTS.growthRounds;
  // Groups keep talking while we read them: whatever arrived meanwhile is fetched before we call it done.
  const growthCheck = () => {
    const active = runs.filter((r) => !r.skipped && r.progress.top !== undefined);
    const fresh = active.length > 0 ? streamInfos(ctx, opts.api, active.map((r) => r.ref), false).then((a) => a.infos) : Promise.resolve(undefined);
    // Awaited only after the round; a failure meanwhile must not count as unhandled.
    fresh.catch(() => undefined);
    return fresh;
  };

  try {
    let pending = runs.filter((r) => !r.skipped);
    for (let round = 0; pending.length > 0 && !stop.signal.aborted; round++) {
      const checks = round < growthRounds;
      let check: ReturnType<typeof growthCheck> | undefined;
      const roundEnd = new RoundEnd(pending.length, () => {
        if (checks && !stop.signal.aborted) check ??= growthCheck();
      });
      await Promise.all(
        pending.map((run) =>
          backupGroup(ctx, opts, run, infos.get(streamKey(run.ref)), slots, roundEnd, report).catch((err) => {
            if (err instanceof GroupSkipped) {
              run.skipped = true;
              run.progress.state = 'skipped';
              run.progress.reason = err.message;
              run.progress.reasonSaid = err.said;
              report(true);
            } else if (err instanceof WindowFailed) {
              // Only this group's start failed (its newest Seq could not be read): the others go on.
              run.progress.state = 'partial';
              run.progress.reason = err.message;
              run.progress.reasonSaid = err.said;
            } else if (!stop.signal.aborted) fail(err);
          }),
        ),
      );
      if (stop.signal.aborted || !checks) break;
      let fresh;
      try {
        // Not sent yet when some window never sent its first request (its group was skipped, or it failed first).
        fresh = await (check ??= growthCheck());
      } catch (err) {
        // Topping up is a bonus: what this run set out to fetch is settled, and the next run picks up the rest.
        if (err instanceof WindowFailed) break;
        throw err;
      }
      if (!fresh) break;
      pending = runs.filter((r) => !r.skipped && r.progress.top !== undefined && newestSeq(fresh.get(streamKey(r.ref))) > r.progress.top);
      for (const r of pending) infos.set(streamKey(r.ref), fresh.get(streamKey(r.ref)));
    }
    // History first: it expires, names do not.
    if (!stop.signal.aborted) {
      people = await fetchPeople({
        ctx,
        api: opts.api,
        archive,
        sdkAppId: opts.sdkAppId,
        targets: peopleTargets(runs, infos),
        runId,
        ...(opts.profileMaxAgeMs !== undefined ? { maxAgeMs: opts.profileMaxAgeMs } : {}),
        ...(opts.memberListMaxAgeMs !== undefined ? { memberListMaxAgeMs: opts.memberListMaxAgeMs } : {}),
        ...(opts.now ? { now: opts.now } : {}),
      });
    }
  } catch (err) {
    if (!stop.signal.aborted) fail(err);
  } finally {
    opts.signal?.removeEventListener('abort', onUserAbort);
  }
  await slots.stores.close();
  let media: MediaRunSummary | undefined;
  try {
    media = await downloader?.finish();
  } catch (err) {
    if (!stop.signal.aborted) fail(err);
  }

  const cancelled = fatal === undefined && stop.signal.aborted;
  // A group the run never finished is not done, whatever it was doing when it stopped.
  for (const r of runs) if (stop.signal.aborted && UNFINISHED.has(r.progress.state)) r.progress.state = 'stopped';
  const groups: GroupSummary[] = runs.map((r) => ({
    ...r.progress,
    failedRanges: r.ref.gid ? archive.coverage(r.ref.gid).failed : [],
  }));
  const outcome: RunOutcome =
    fatal !== undefined ? 'failed'
    : cancelled ? 'cancelled'
    : groups.some((g) => g.state === 'skipped' || g.state === 'partial' || g.failedRanges.length > 0) ? 'partial'
    : 'ok';
  const summary: BackupSummary = {
    runId,
    outcome,
    ...(fatal !== undefined ? { ...stopped(describe(fatal)), failure: fatal } : cancelled ? stopped(CANCELLED) : {}),
    groups,
    ...(people ? { people } : {}),
    ...(media ? { media } : {}),
    ...ctx.counters,
    elapsedMs: performance.now() - started,
  };
  const parts = runs.flatMap((r, i) => {
    const g = groups[i]!;
    return r.ref.gid ? [{ gid: r.ref.gid, state: g.state, newMessages: g.messagesStored, failedSeqs: rangeSize(g.failedRanges), reason: g.reason }] : [];
  });
  archive.finishRun(runId, outcome, { ...summary, said: undefined, failure: undefined, groups: groups.map(({ reasonSaid: _said, ...g }) => g) }, parts);
  archive.commit();
  meter.update(() => snapshot(true), true);
  return summary;
}

/** One member list per backed-up group ID, labelling each of its archived groups (the group, or its topics). */
function peopleTargets(runs: GroupRun[], infos: Map<string, GroupInfo | undefined>): PeopleTarget[] {
  const byGroup = new Map<string, PeopleTarget>();
  for (const r of runs) {
    if (r.skipped || !r.ref.gid) continue;
    // A topic's member list is its group's: the group's own answer, else the topic's (which carries the group's type).
    const info = infos.get(streamKey({ groupId: r.ref.groupId })) ?? infos.get(streamKey(r.ref));
    const t = byGroup.get(r.ref.groupId) ?? {
      groupId: r.ref.groupId,
      community: info?.Type === 'Community',
      ...(typeof info?.MemberNum === 'number' ? { memberNum: info.MemberNum } : {}),
      gids: [],
    };
    t.gids.push(r.ref.gid);
    byGroup.set(r.ref.groupId, t);
  }
  return [...byGroup.values()];
}

function newRun(t: BackupTarget): GroupRun {
  return {
    ref: { gid: 0, groupId: t.groupId, ...(t.topicId ? { topicId: t.topicId } : {}) },
    progress: { groupId: t.groupId, ...(t.topicId ? { topicId: t.topicId } : {}), state: 'queued', windowsTotal: 0, windowsDone: 0, windowsFailed: 0, messagesStored: 0 },
    skipped: false,
  };
}

/** A group's own stream and each of its topics are separate Seq spaces: this names one. */
function streamKey(ref: Omit<GroupRef, 'gid'>): string {
  return JSON.stringify([ref.groupId, ref.topicId ?? '']);
}

/**
 * What Tencent says of each stream, keyed by streamKey: get_group_info for the groups, get_topic for the
 * Community groups whose topics are wanted. With `expand`, a Community group asked for as a whole brings its
 * topics along (returned in `topics`), so that backing up a group never leaves its topics behind.
 */
async function streamInfos(
  ctx: CallContext,
  api: HistoryApi,
  refs: Omit<GroupRef, 'gid'>[],
  expand: boolean,
): Promise<{ infos: Map<string, GroupInfo | undefined>; topics: BackupTarget[] }> {
  const groups = await groupInfos(ctx, api, [...new Set(refs.map((r) => r.groupId))]);
  const named = new Set(refs.filter((r) => r.topicId).map((r) => r.groupId));
  const whole = new Set(refs.filter((r) => !r.topicId && !named.has(r.groupId)).map((r) => r.groupId));
  const asked = [...groups.keys()].filter((id) => mayHaveTopics(groups.get(id)) && (named.has(id) || (expand && whole.has(id))));
  const lists = new Map(await Promise.all(asked.map(async (id) => [id, await listTopics(ctx, api, id)] as const)));
  const infos = new Map<string, GroupInfo | undefined>();
  const topics: BackupTarget[] = [];
  for (const ref of refs) {
    const group = groups.get(ref.groupId);
    const topic = ref.topicId ? lists.get(ref.groupId)?.find((t) => t.TopicId === ref.topicId) : undefined;
    infos.set(streamKey(ref), !ref.topicId || group?.ErrorCode !== 0 ? group : topic && topicAsGroupInfo(group, topic));
  }
  for (const [groupId, list] of lists) {
    if (!whole.has(groupId)) continue;
    for (const topic of list) {
      topics.push({ groupId, topicId: topic.TopicId });
      infos.set(streamKey({ groupId, topicId: topic.TopicId }), topicAsGroupInfo(groups.get(groupId)!, topic));
    }
  }
  return { infos, topics };
}

/** Why a group (or topic) cannot be backed up at all, from what Tencent said of it; undefined if it can. */
const TOPIC_GONE: Said = {
  en: 'Tencent no longer lists this topic (it may have been deleted). What was archived is kept.',
  'zh-CN': '腾讯已不再列出这个话题（可能已被删除）。已归档的内容会保留。',
};
const NOT_LISTED: Said = { en: 'Tencent did not return this group in its group information.', 'zh-CN': '腾讯返回的群组资料中没有这个群组。' };
/** The console's names of the group types that keep no history (docs/glossary.md). */
const NO_HISTORY_ZH: Readonly<Record<string, string>> = { AVChatRoom: '直播群', BChatRoom: '广播大群' };
const noHistory = (type: string): Said => ({
  en: `${type} groups keep no message history at Tencent, so there is nothing to back up.`,
  'zh-CN': `${NO_HISTORY_ZH[type] ?? `${type} 类型的群组`}在腾讯不保存历史消息，因此没有可备份的内容。`,
});

function skipReason(info: GroupInfo | undefined, ref: Omit<GroupRef, 'gid'>): Said | undefined {
  if (!info && ref.topicId) return TOPIC_GONE;
  if (!info) return NOT_LISTED;
  if (info.ErrorCode !== 0) return ImError.fromCode(info.ErrorCode, info.ErrorInfo, SERVICES.getGroupInfo).said;
  if (info.Type && NO_HISTORY_TYPES.has(info.Type)) return noHistory(info.Type);
  return undefined;
}

/** Every batch is asked for at once, so they queue at the pacer ahead of whatever the caller asks for next. */
async function groupInfos(ctx: CallContext, api: HistoryApi, groupIds: string[]): Promise<Map<string, GroupInfo | undefined>> {
  const batches: string[][] = [];
  for (let i = 0; i < groupIds.length; i += LIMITS.groupInfoBatch) batches.push(groupIds.slice(i, i + LIMITS.groupInfoBatch));
  const answers = await Promise.all(batches.map((batch) => paced(ctx, batch[0]!, () => api.getGroupInfo(batch))));
  return new Map(answers.flat().map((info) => [info.GroupId, info]));
}

/** Whether the archive holds nothing of a group at Seq 1, so that this run searches for its retention edge. */
function unreachedBottoms(archive: Archive, sdkAppId: number): (ref: Omit<GroupRef, 'gid'>) => boolean {
  const key = (groupId: string, topicId = '') => JSON.stringify([groupId, topicId]);
  const gids = new Map(archive.groups().filter((g) => g.sdkAppId === sdkAppId).map((g) => [key(g.groupId, g.topicId), g.gid]));
  return (ref) => {
    const gid = gids.get(key(ref.groupId, ref.topicId));
    return gid === undefined || archive.gaps(gid, 1, 1).length > 0;
  };
}

function newestSeq(info: GroupInfo | undefined): number {
  return typeof info?.NextMsgSeq === 'number' ? info.NextMsgSeq - 1 : 0;
}

async function backupGroup(
  ctx: EngineContext,
  opts: BackupOptions,
  run: GroupRun,
  info: GroupInfo | undefined,
  slots: Slots,
  roundEnd: RoundEnd,
  report: (force?: boolean) => void,
): Promise<void> {
  let windows: Range[] | undefined;
  try {
    windows = await planGroup(ctx, opts, run, info, report);
  } finally {
    roundEnd.planned(windows?.length ?? 0);
  }
  const headStart = run.headStart;
  delete run.headStart;
  if (!windows) return;
  const p = run.progress;
  p.windowsTotal += windows.length;
  p.state = 'fetching';
  report(true);
  await Promise.all(
    windows.map((w) =>
      slots.unstored.run(async () => {
        let sent = false;
        const onSent = () => {
          if (!sent) roundEnd.sent();
          sent = true;
        };
        const read = await slots.requests.run(async () => {
          if (run.skipped || ctx.signal.aborted) return onSent();
          return readWindow(ctx, run.ref, w.lo, w.hi, headStart?.take(windowIndex(w.lo, w.hi)), onSent);
        });
        const storing = read && slots.stores.run(() => storeWindowRead(ctx, run.ref, read));
        if (!storing) return;
        const result = await storing;
        p.messagesStored += result.inserted;
        if (result.ok) p.windowsDone++;
        else {
          p.windowsFailed++;
          p.reason = `Some messages could not be fetched: ${result.reason}`;
        }
        report();
      }),
    ),
  );
  if (run.skipped) return;
  // Windows left unread because the run was cancelled make the group stopped, never done.
  p.state = p.windowsDone + p.windowsFailed < p.windowsTotal ? 'stopped' : p.windowsFailed > 0 ? 'partial' : 'done';
  settleDamage(ctx.archive, run);
}

/** After the group's windows: which damaged rows were replaced, and which are still damaged (see GroupProgress). */
function settleDamage(archive: Archive, run: GroupRun): void {
  const damaged = run.damaged;
  if (!damaged?.length) return;
  const still = archive.damagedAmong(run.ref.gid, damaged);
  const kept = new Set(still);
  run.progress.repairedSeqs = [...new Set([...(run.progress.repairedSeqs ?? []), ...damaged.filter((s) => !kept.has(s))])];
  run.progress.damagedSeqs = still;
  // Tried once this run: a group topped up later does not read them again.
  run.damaged = [];
}

/** Rows examined between turns of the event loop while looking for damaged rows: 20–30 ms each (5 µs a row). */
const DAMAGE_SCAN_ROWS = 5_000;

/**
 * The Seqs of group `gid` whose archived row no longer matches its checksum (app/archive/checksum.ts), examined
 * a slice at a time so that the pacer's grants and the other groups' stores go on meanwhile.
 */
async function damagedSeqs(archive: Archive, gid: number, since: number, signal: AbortSignal): Promise<number[]> {
  const seqs: number[] = [];
  let afterSeq: number | undefined;
  do {
    if (signal.aborted) break;
    const slice = archive.damagedRows({ gid, since, limit: DAMAGE_SCAN_ROWS, ...(afterSeq !== undefined ? { afterSeq } : {}) });
    for (const d of slice.damaged) seqs.push(d.seq);
    afterSeq = slice.next;
    if (afterSeq !== undefined) await new Promise((resolve) => setImmediate(resolve));
  } while (afterSeq !== undefined);
  return seqs;
}

/**
 * Registers the group, learns its newest Seq, settles its retention edge; returns the windows left to fetch,
 * or undefined for a group without messages.
 */
async function planGroup(ctx: EngineContext, opts: BackupOptions, run: GroupRun, info: GroupInfo | undefined, report: (force?: boolean) => void): Promise<Range[] | undefined> {
  const p = run.progress;
  const reason = skipReason(info, run.ref);
  if (reason || !info) throw new GroupSkipped(run.ref.groupId, reason ?? NOT_LISTED);
  const gid = ctx.archive.upsertGroup({
    sdkAppId: opts.sdkAppId,
    groupId: run.ref.groupId,
    ...(run.ref.topicId ? { topicId: run.ref.topicId } : {}),
    info,
    newestSeq: newestSeq(info),
  });
  const group: GroupRef = { ...run.ref, gid };
  (run as { ref: GroupRef }).ref = group;
  const previousTop = p.top ?? 0;
  const top = info.NextMsgSeq !== undefined ? newestSeq(info) : await probeTop(ctx, group);
  p.top = top;
  if (top <= 0) {
    p.state = 'done';
    return undefined;
  }

  p.state = 'probing';
  report(true);
  const ranges = planRanges(ctx.archive, gid, previousTop, top, opts.lookback ?? DEFAULTS.lookback);
  const bottom = ranges[0];
  if (bottom?.lo === 1) {
    let edge: number;
    try {
      edge = await findRetentionEdge(ctx, group, bottom.hi, await run.headStart?.take(0), (n) => (p.messagesStored += n));
    } catch (err) {
      if (!(err instanceof WindowFailed)) throw err;
      // Without the edge we cannot tell history from expired placeholders: leave the range to the next run.
      ctx.archive.markFailed(gid, bottom.lo, bottom.hi, ctx.runId, err.message);
      p.windowsFailed++;
      ctx.counters.windowsFailed++;
      p.reason = `Could not find where retention ends: ${err.message}`;
      edge = bottom.hi + 1;
    }
    p.edge = edge;
    if (edge > 1 && !p.reason) ctx.archive.markExpired(gid, 1, edge - 1, ctx.runId);
    // The edge search stored the live windows it read: only what is still missing above the edge remains.
    ranges.splice(0, 1, ...(edge > bottom.hi ? [] : ctx.archive.gaps(gid, edge, bottom.hi)));
  }
  // Damaged rows are read again from Tencent, which replaces them while it still holds their content. Looked for
  // once a run (a group topped up later was looked at already).
  const since = Math.floor((opts.now ?? Date.now)() / 1000) - (opts.damageScanDays ?? DEFAULTS.damageScanDays) * 86400;
  run.damaged ??= await damagedSeqs(ctx.archive, gid, since, ctx.signal);
  const repairs = run.damaged.filter((seq) => seq <= top).map((seq) => ({ lo: seq, hi: seq }));
  return (repairs.length > 0 ? mergeRanges([...ranges, ...repairs]) : ranges).flatMap(toWindows);
}

/** The newest Seq when get_group_info did not say: one pull without ReqMsgSeq returns the newest messages. */
async function probeTop(ctx: EngineContext, group: GroupRef): Promise<number> {
  const answer = await paced(ctx, group.groupId, () =>
    ctx.api.groupMsgGetSimple({ GroupId: group.groupId, ReqMsgNumber: 1, WithRecalledMsg: 1, ...(group.topicId ? { TopicId: group.topicId } : {}) }),
  );
  return answer.RspMsgList.reduce((max, m) => Math.max(max, m.MsgSeq), 0);
}

/**
 * What this run must read for one group, ascending: every gap in the archive's coverage up to `top`, plus the
 * look-back below the previously archived top (merged into the gaps where they touch).
 */
export function planRanges(archive: Archive, gid: number, previousTop: number, top: number, lookback: number): Range[] {
  const from = previousTop > 0 ? previousTop + 1 : 1;
  const ranges = archive.gaps(gid, from, top);
  const covered = archive.coverage(gid).covered;
  const archivedTop = covered.length > 0 ? covered[covered.length - 1]!.hi : 0;
  if (previousTop === 0 && archivedTop > 0 && lookback > 0) {
    ranges.push({ lo: Math.max(1, archivedTop - lookback + 1), hi: Math.min(archivedTop, top) });
  }
  return mergeRanges(ranges);
}

/**
 * 20-Seq windows aligned to the range's bottom, oldest first. Above a retention edge (a window boundary of the
 * search) they are the search's own windows, which is what lets a window read ahead stand for one of them.
 */
function toWindows(r: Range): Range[] {
  const out: Range[] = [];
  for (let lo = r.lo; lo <= r.hi; lo += W) out.push({ lo, hi: Math.min(r.hi, lo + W - 1) });
  return out;
}

function describe(err: unknown): Said {
  return saidOf(err) ?? untranslated(err instanceof Error ? err.message : String(err));
}

const NO_GROUPS: Said = { en: 'No groups to back up.', 'zh-CN': '没有可备份的群组。' };
const NONE_CAN_BE_BACKED_UP: Said = {
  en: 'None of the chosen groups can be backed up (see each group for why).',
  'zh-CN': '所选的群组都无法备份（原因见各群组）。',
};
const CANCELLED: Said = { en: 'Cancelled. The next backup continues where this one stopped.', 'zh-CN': '已取消。下次备份会从这次停下的地方继续。' };

/** Why a run stopped, as stored (English) and as a person reads it. */
function stopped(said: Said): Pick<BackupSummary, 'error' | 'said'> {
  return { error: said.en, said };
}
