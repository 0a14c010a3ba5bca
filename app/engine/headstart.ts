// A head start for a group whose bottom the archive has never reached. Its first request, window 0 (Seqs 1–20),
// is the retention search's first probe, and the windows just above it are what oldest-first fetching reads next;
// none of them needs the group's newest Seq. So they are read while get_group_info is still on its way, each
// asked for once the one before it has gone out, until that answer is in: at 150 ms a round trip of pacer time
// (~27 windows) that would otherwise stand idle. The answers are only held — the preflight must leave the
// archive as it was — and each is used by the fetch of its window, once the retention edge says the window is
// worth fetching at all. A speculative read costs at most that idle round trip: a group that turns out to be
// smaller, expired at the bottom, or impossible to back up simply does not use it.
//
// Windows here are the retention search's: window k is Seqs [kW + 1, kW + W].

import type { GroupMsgGetSimpleResponse } from '../im/wire';
import { LIMITS } from '../im/wire';
import type { CallContext, GroupRef, HistoryApi } from './context';
import { getHistory } from './request';

const W = LIMITS.msgsPerCall;
/** However slow get_group_info is, no more than a limiter's worth of windows is read ahead. */
const MAX_WINDOWS = 64;

type Answer = GroupMsgGetSimpleResponse | undefined;

export class HeadStart {
  private readonly reads = new Map<number, Promise<Answer>>();

  /** Starts reading at once (window 0 is asked for before this returns) and stops when `until` settles. */
  constructor(ctx: CallContext & { api: HistoryApi }, group: Omit<GroupRef, 'gid'>, until: Promise<unknown>) {
    void this.read(ctx, group, until);
  }

  /** The answer read ahead for window k, if there is one; it is handed over only once. */
  take(k: number | undefined): Promise<Answer> | undefined {
    if (k === undefined) return undefined;
    const read = this.reads.get(k);
    this.reads.delete(k);
    return read;
  }

  private async read(ctx: CallContext & { api: HistoryApi }, group: Omit<GroupRef, 'gid'>, until: Promise<unknown>): Promise<void> {
    let stop = false;
    const halt = () => {
      stop = true;
    };
    until.then(halt, halt);
    for (let k = 0; k < MAX_WINDOWS && !stop; k++) {
      let sent!: () => void;
      const out = new Promise<void>((resolve) => (sent = resolve));
      // A failed read (the group cannot be backed up, say) is nothing to act on here: the real fetch will tell.
      const answer = getHistory(ctx, group, (k + 1) * W, W, { onSend: sent }).catch(halt);
      this.reads.set(k, answer.then((a) => a ?? undefined));
      await Promise.race([out, answer]);
    }
  }
}

/** k when [lo, hi] is exactly window k, the window a read ahead may stand for. */
export function windowIndex(lo: number, hi: number): number | undefined {
  return hi - lo + 1 === W && hi % W === 0 ? hi / W - 1 : undefined;
}

/**
 * Whether an answer read ahead settles the window [lo, hi] it was asked for: it must hold the window's top Seq,
 * which proves that every Seq of the window existed when it was read. (A group that had not reached the top yet
 * would otherwise leave its later Seqs looking like holes.)
 */
export function settlesWindow(answer: Answer, hi: number): answer is GroupMsgGetSimpleResponse {
  return answer !== undefined && answer.RspMsgList.some((m) => m.MsgSeq === hi);
}
