// The pre-flight estimate shown before a backup (the app's first backup of a profile, `tim-backup estimate`):
// how many groups and messages, how many calls to Tencent and how long at the chosen rate, and how much disk.
// From what Tencent reported of each group (its newest Seq: every Seq up to it is a message that may still exist)
// and what the archive already holds. Upper bounds: expired, recalled and never-stored Seqs cost a call but no
// disk, and a backup fetches only what Tencent still keeps.

import { statSync } from 'node:fs';
import { type Archive, rangeSize, valueOf } from '../archive';
import { DEFAULTS as ENGINE_DEFAULTS } from '../engine/backup';
import type { GroupListing } from '../engine/directory';
import { LIMITS } from '../im/wire';
import type { Estimate, GroupEstimate } from './types';

export type { Estimate, GroupEstimate } from './types';

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
  return {
    groups: perGroup.length,
    messages,
    requests,
    seconds: requests / input.rate,
    rate: input.rate,
    diskBytes: messages * bytesPerMessage,
    bytesPerMessage,
    perGroup,
  };
}

function measuredBytesPerMessage(archive: Archive): number {
  const count = Number(valueOf(archive.db, 'SELECT count(*) FROM messages'));
  if (count < MEASURE_FROM_MESSAGES) return BYTES_PER_MESSAGE;
  return Math.ceil(statSync(archive.path).size / count);
}
