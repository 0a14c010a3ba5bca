// Finding the retention edge. Below it every Seq reads back as an expired placeholder (or, UNKNOWN on the live
// service, as nothing at all), and an old busy group can have millions of such Seqs: crawling them 20 at a time
// would burn hours of the shared rate limit for nothing. A binary search over 20-Seq windows finds the edge in
// O(log n) requests. Because a moderator's mass deletion also reads as a run of placeholders, the candidate
// edge is then checked by probes at exponentially growing distances below it; live content under a probe
// restarts the search beneath it, so a deleted run above older live history cannot hide that history.
// Every probe waits for the one before it, so probes take the pacer's urgent lane: behind a queue of bulk
// fetches each step of the search would cost a whole queue's worth of time.

import type { GroupMsgGetSimpleResponse } from '../im/wire';
import { LIMITS } from '../im/wire';
import type { EngineContext, GroupRef } from './context';
import { settlesWindow } from './headstart';
import { getHistory } from './request';
import { storeAnswer } from './window';

const W = LIMITS.msgsPerCall;

function isExpired(answer: GroupMsgGetSimpleResponse): boolean {
  if (answer.IsFinished === 2) return true;
  return answer.RspMsgList.every((m) => m.IsPlaceMsg === 1 && (!m.MsgBody || m.MsgBody.length === 0));
}

/**
 * Returns the lowest Seq that may still hold content in [1, top]: every Seq below it is expired. Returns 1 when
 * nothing is expired and top + 1 when everything up to top is. Window k covers Seqs [kW + 1, kW + W].
 * `oldest` is window 0 as read ahead (./headstart.ts), if it was. `onStored` hears of the messages the search
 * stored on the way, so that the group's count adds up to the run's.
 */
export async function findRetentionEdge(
  ctx: EngineContext,
  group: GroupRef,
  top: number,
  oldest?: GroupMsgGetSimpleResponse,
  onStored?: (inserted: number) => void,
): Promise<number> {
  const lastWindow = Math.floor((top - 1) / W);
  const cache = new Map<number, boolean>();
  const early = settlesWindow(oldest, Math.min(top, W)) ? oldest : undefined;
  const expired = async (k: number): Promise<boolean> => {
    let known = cache.get(k);
    if (known === undefined) {
      const lo = k * W + 1;
      const hi = Math.min(top, k * W + W);
      const answer = k === 0 && early ? early : await getHistory(ctx, group, hi, hi - lo + 1, { lane: 'urgent' });
      known = isExpired(answer);
      cache.set(k, known);
      // A complete answer with content is as good as the window fetch it saves.
      if (!known && answer.IsFinished === 1) {
        const msgs = answer.RspMsgList.filter((m) => m.MsgSeq >= lo && m.MsgSeq <= hi);
        const inserted = await storeAnswer(ctx, group, lo, hi, msgs);
        onStored?.(inserted);
      }
    }
    return known;
  };

  if (!(await expired(0))) return 1;
  if (await expired(lastWindow)) return top + 1;
  // Invariant: window `low` is expired, window `high` has content.
  let low = 0;
  let high = lastWindow;
  for (;;) {
    while (high - low > 1) {
      const mid = low + Math.floor((high - low) / 2);
      if (await expired(mid)) low = mid;
      else high = mid;
    }
    const live = await liveProbeBelow(low, expired);
    if (live === undefined) return (low + 1) * W + 1;
    high = live;
    low = 0;
  }
}

/** Probes windows low−1, low−2, low−4, … ≥ 1 (window 0 is known expired); the first with content, if any. */
async function liveProbeBelow(low: number, expired: (k: number) => Promise<boolean>): Promise<number | undefined> {
  for (let step = 1; low - step >= 1; step *= 2) {
    if (!(await expired(low - step))) return low - step;
  }
  return undefined;
}
