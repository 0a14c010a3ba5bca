// The pre-flight estimate shown before a backup (the app's first backup of a profile, `tim-backup estimate`):
// how many groups and messages, how many calls to Tencent and how long at the chosen rate, and how much disk.
// From what Tencent reported of each group (its newest Seq: every Seq up to it is a message that may still exist)
// and what the archive already holds. Upper bounds: expired, recalled and never-stored Seqs cost a call but no
// disk, and a backup fetches only what Tencent still keeps.
//
// Media disk is measured, not assumed: a group's newest messages (one call each, `sampleNewest`) declare the
// size of every image, file, voice message and video they carry; what the profile's media settings would
// download of them, per message, times the messages to fetch. A fixed ratio measured on the emulator would say
// nothing about a real app's chat (a support group of screenshots and a text-only forum differ a hundredfold);
// the sample reflects the app's own. It is still an estimate: older messages may carry more or fewer files, the
// same file sent twice is stored once, and Tencent deletes the files of expired messages.

import { statSync } from 'node:fs';
import { type Archive, rangeSize, valueOf } from '../archive';
import { DEFAULTS as ENGINE_DEFAULTS } from '../engine/backup';
import type { GroupListing } from '../engine/directory';
import type { Pacer } from '../engine/pacer';
import { type GroupMsg, type GroupMsgGetSimpleRequest, type GroupMsgGetSimpleResponse, LIMITS } from '../im/wire';
import { mediaRefsOf } from '../media/model';
import { initialState, type MediaPolicy } from '../media/policy';
import type { Estimate, GroupEstimate, MediaEstimate } from './types';

export type { Estimate, GroupEstimate, MediaEstimate } from './types';

/** Archive bytes per message (messages, search index, coverage), measured at a million messages (docs/benchmarks.md). */
export const BYTES_PER_MESSAGE = 770;
/**
 * A smaller archive's size per message is mostly fixed overhead (a fresh 5,000-message archive measured over
 * 3 kB per message): below this, the benchmark's figure is the better guess.
 */
const MEASURE_FROM_MESSAGES = 100_000;

export interface EstimateInput {
  /** The groups to back up, as listed from Tencent; those that keep no history or were refused are left out. */
  groups: readonly Pick<GroupListing, 'groupId' | 'name' | 'newestSeq' | 'keepsHistory' | 'error'>[];
  sdkAppId: number;
  rate: number;
  /** The profile's archive, when it exists. */
  archive?: Archive;
  /** The profile's media settings; absent or mode 'none': no media estimate. */
  media?: MediaPolicy;
  /** Each group's newest messages (`sampleNewest`), by group ID: what the media estimate is measured on. */
  samples?: ReadonlyMap<string, readonly GroupMsg[]>;
}

export function estimateBackup(input: EstimateInput): Estimate {
  const archived = new Map((input.archive?.groups() ?? []).filter((g) => g.sdkAppId === input.sdkAppId && g.topicId === '').map((g) => [g.groupId, g.gid]));
  const perGroup = input.groups
    .filter((g) => g.keepsHistory && !g.error)
    .map((g): GroupEstimate => {
      const newest = g.newestSeq ?? 0;
      const gid = archived.get(g.groupId);
      const missing = gid !== undefined && input.archive ? input.archive.gaps(gid, 1, newest) : newest > 0 ? [{ lo: 1, hi: newest }] : [];
      const windows = missing.reduce((n, r) => n + Math.ceil((r.hi - r.lo + 1) / LIMITS.msgsPerCall), 0);
      const reachedBottom = gid !== undefined && input.archive!.gaps(gid, 1, 1).length === 0;
      // A backup reads back the newest archived Seqs to catch recalls, and searches for the retention edge
      // once (a binary search over the windows plus a few probes below it).
      const lookback = reachedBottom ? Math.ceil(ENGINE_DEFAULTS.lookback / LIMITS.msgsPerCall) : 0;
      const edgeSearch = !reachedBottom && windows > 0 ? Math.ceil(Math.log2(windows + 1)) + 4 : 0;
      return { groupId: g.groupId, ...(g.name ? { name: g.name } : {}), newestSeq: newest, messages: rangeSize(missing), requests: windows + lookback + edgeSearch };
    });
  // get_group_info for every group, at the start and again for the growth check.
  const groupInfo = 2 * Math.ceil(perGroup.length / LIMITS.groupInfoBatch);
  const requests = perGroup.reduce((n, g) => n + g.requests, 0) + groupInfo;
  const messages = perGroup.reduce((n, g) => n + g.messages, 0);
  const bytesPerMessage = input.archive ? measuredBytesPerMessage(input.archive) : BYTES_PER_MESSAGE;
  const media = input.media && input.media.mode !== 'none' ? mediaEstimate(perGroup, input.samples ?? new Map(), input.media) : undefined;
  return {
    groups: perGroup.length,
    messages,
    requests,
    seconds: requests / input.rate,
    rate: input.rate,
    diskBytes: messages * bytesPerMessage,
    bytesPerMessage,
    ...(media ? { media: media.total } : {}),
    perGroup: media ? perGroup.map((g) => ({ ...g, mediaBytes: media.perGroup.get(g.groupId) ?? 0 })) : perGroup,
  };
}

/** How many of a group's newest messages are sampled: one call's worth. */
export const MEDIA_SAMPLE = LIMITS.msgsPerCall;

export interface SampleApi {
  groupMsgGetSimple(req: GroupMsgGetSimpleRequest): Promise<GroupMsgGetSimpleResponse>;
}

/**
 * Each group's newest messages, one call per group through the pacer. A group whose call fails has no sample
 * (the estimate then uses the others'): an estimate must not fail for it.
 */
export async function sampleNewest(api: SampleApi, pacer: Pacer, groups: readonly Pick<GroupListing, 'groupId' | 'newestSeq' | 'keepsHistory' | 'error'>[], signal?: AbortSignal): Promise<Map<string, GroupMsg[]>> {
  const wanted = groups.filter((g) => g.keepsHistory && !g.error && (g.newestSeq ?? 0) > 0);
  const answers = await Promise.all(
    wanted.map(async (g) => {
      try {
        await pacer.acquire(signal);
        const r = await api.groupMsgGetSimple({ GroupId: g.groupId, ReqMsgNumber: MEDIA_SAMPLE });
        return [g.groupId, r.RspMsgList] as const;
      } catch (err) {
        if (signal?.aborted) throw err;
        return undefined;
      }
    }),
  );
  return new Map(answers.filter((a) => a !== undefined));
}

/** Per message of a sample, what the policy would download (declared bytes) and whether it carries media. */
function sampled(msgs: readonly GroupMsg[], policy: MediaPolicy): { messages: number; withMedia: number; bytes: number } {
  const real = msgs.filter((m) => (m.IsPlaceMsg ?? 0) === 0);
  let bytes = 0;
  let withMedia = 0;
  for (const m of real) {
    const refs = mediaRefsOf(m);
    if (refs.length > 0) withMedia++;
    for (const ref of refs) if (initialState(ref, policy) === 'pending') bytes += ref.declaredSize;
  }
  return { messages: real.length, withMedia, bytes };
}

/** Each group at its own sample's bytes per message; a group without a sample at all the samples' together. */
function mediaEstimate(perGroup: readonly GroupEstimate[], samples: ReadonlyMap<string, readonly GroupMsg[]>, policy: MediaPolicy): { total: MediaEstimate; perGroup: Map<string, number> } {
  const each = new Map(perGroup.flatMap((g) => (samples.has(g.groupId) ? [[g.groupId, sampled(samples.get(g.groupId)!, policy)] as const] : [])));
  const all = [...each.values()].reduce((a, b) => ({ messages: a.messages + b.messages, withMedia: a.withMedia + b.withMedia, bytes: a.bytes + b.bytes }), { messages: 0, withMedia: 0, bytes: 0 });
  const pooled = all.messages > 0 ? all.bytes / all.messages : 0;
  const bytesOf = new Map(
    perGroup.map((g) => {
      const own = each.get(g.groupId);
      const perMessage = own && own.messages > 0 ? own.bytes / own.messages : pooled;
      return [g.groupId, Math.round(perMessage * g.messages)];
    }),
  );
  const total = [...bytesOf.values()].reduce((n, b) => n + b, 0);
  return {
    total: { bytes: total, sampledMessages: all.messages, sampledWithMedia: all.withMedia, mode: policy.mode as MediaEstimate['mode'], maxBytes: policy.maxBytes },
    perGroup: bytesOf,
  };
}

function measuredBytesPerMessage(archive: Archive): number {
  const count = Number(valueOf(archive.db, 'SELECT count(*) FROM messages'));
  if (count < MEASURE_FROM_MESSAGES) return BYTES_PER_MESSAGE;
  return Math.ceil(statSync(archive.path).size / count);
}
