// One Seq space: a group's history (or a Community topic's). Content comes from the generator; this holds only
// what changed since: appended Seqs' times, recalls and deletions, and the retention edge.

import { type GroupMsg, type IsFinished, LIMITS } from '../../app/im/wire';
import { type HistoryConfig, generateMessage, seqKind, timestampOf } from './generate';
import type { MediaHost } from './media';

export type SeqState = 'normal' | 'system' | 'recalled' | 'deleted' | 'never' | 'expired';

export interface EmulatedGroup {
  readonly newestSeq: number;
  /** New messages (generated like the rest, timestamped now). */
  append(count: number): void;
  /** Throws RangeError for a Seq outside 1..newestSeq, a never-stored Seq, or (recall) a deleted one. */
  recall(seq: number): void;
  remove(seq: number): void;
  /** Seqs below this expire; the edge may move either way. */
  setRetentionEdge(seq: number): void;
  /** Ground truth: what the API says about this Seq right now with WithRecalledMsg=1 (undefined = absent).
   *  Ignores expiredAnswersEmpty: below the edge this is the placeholder. */
  view(seq: number): GroupMsg | undefined;
  /** The message as it was first stored (before recall/deletion), undefined for never-stored Seqs. */
  original(seq: number): GroupMsg | undefined;
  /** Throws RangeError outside 1..newestSeq. Below the retention edge every Seq is 'expired'. */
  state(seq: number): SeqState;
}

export interface Retention {
  /** Seqs below this are expired. */
  edgeSeq: number;
  /** Messages older than now − days expire too (whichever edge is higher wins). */
  days?: number;
  /** A range entirely below the edge answers an empty list instead of placeholders. */
  expiredAnswersEmpty: boolean;
}

export interface ReadRequest {
  /** Highest Seq wanted; undefined = the newest. */
  reqMsgSeq?: number;
  reqMsgNumber: number;
  withRecalled: boolean;
}

export interface ReadResult {
  list: GroupMsg[];
  isFinished: IsFinished;
}

export class SeqSpace implements EmulatedGroup {
  private newest: number;
  /** Times of Seqs beyond the generated history, index = seq − cfg.count − 1. */
  private readonly appendedTimes: number[] = [];
  private readonly changed = new Map<number, 'recalled' | 'deleted'>();

  constructor(
    private readonly cfg: HistoryConfig,
    private readonly retention: Retention,
    /** Unix seconds. */
    private readonly now: () => number,
    /** Signs the media URLs of every answer (each answer its own signature, as Tencent's). */
    private readonly media?: MediaHost,
  ) {
    this.newest = cfg.count;
  }

  get newestSeq(): number {
    return this.newest;
  }

  append(count: number): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`append(count): count must be a whole number ≥ 0, got ${count}`);
    let last = this.newest > 0 ? this.timestamp(this.newest) : 0;
    for (let i = 0; i < count; i++) {
      last = Math.max(last, Math.floor(this.now()));
      this.appendedTimes.push(last);
    }
    this.newest += count;
  }

  recall(seq: number): void {
    const s = this.stored(seq, 'recall');
    if (s === 'deleted') throw new RangeError(`Seq ${seq} is deleted: a deleted message cannot be recalled`);
    this.changed.set(seq, 'recalled');
  }

  remove(seq: number): void {
    this.stored(seq, 'remove');
    this.changed.set(seq, 'deleted');
  }

  setRetentionEdge(seq: number): void {
    if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`setRetentionEdge(seq): seq must be a whole number ≥ 1, got ${seq}`);
    this.retention.edgeSeq = seq;
  }

  /** The lowest Seq that has not expired. */
  retentionEdge(): number {
    let edge = this.retention.edgeSeq;
    if (this.retention.days !== undefined) {
      const oldest = Math.floor(this.now()) - this.retention.days * 86400;
      // Timestamps never decrease with Seq: binary search for the first one young enough.
      let lo = 1;
      let hi = this.newest + 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.timestamp(mid) >= oldest) hi = mid;
        else lo = mid + 1;
      }
      edge = Math.max(edge, lo);
    }
    return edge;
  }

  state(seq: number): SeqState {
    this.inRange(seq);
    // Below the edge Tencent has forgotten everything about a Seq, even that it was never stored.
    if (seq < this.retentionEdge()) return 'expired';
    return this.changed.get(seq) ?? seqKind(this.cfg, seq);
  }

  original(seq: number): GroupMsg | undefined {
    if (!Number.isInteger(seq) || seq < 1 || seq > this.newest || seqKind(this.cfg, seq) === 'never') return undefined;
    return this.signed(generateMessage(this.cfg, seq, this.timestamp(seq)));
  }

  /** Media URLs as an answer carries them: on this server, freshly signed. */
  private signed(msg: GroupMsg): GroupMsg {
    return this.media ? this.media.sign(msg, this, this.cfg.media?.pool) : msg;
  }

  view(seq: number): GroupMsg | undefined {
    if (!Number.isInteger(seq) || seq < 1 || seq > this.newest) return undefined;
    return this.item(seq, true, this.retentionEdge());
  }

  /** group_msg_get_simple on this space; parameters already validated. */
  read(req: ReadRequest, budgetBytes: number): ReadResult {
    const hi = Math.min(req.reqMsgSeq ?? this.newest, this.newest);
    const lo = Math.max(1, hi - req.reqMsgNumber + 1);
    if (hi < 1) return { list: [], isFinished: 1 };
    const windowLo = Math.max(lo, hi - LIMITS.msgsPerCall + 1);
    const edge = this.retentionEdge();
    const allExpired = hi < edge;
    const list: GroupMsg[] = [];
    let cut = windowLo > lo;
    if (!(allExpired && this.retention.expiredAnswersEmpty)) {
      let bytes = 2; // the brackets of RspMsgList
      for (let seq = hi; seq >= windowLo; seq--) {
        const item = this.item(seq, req.withRecalled, edge);
        if (!item) continue;
        const size = Buffer.byteLength(JSON.stringify(item)) + (list.length > 0 ? 1 : 0);
        // One message larger than the whole budget still comes back alone, or a client could never get past it.
        if (list.length > 0 && bytes + size > budgetBytes) {
          cut = true;
          break;
        }
        list.push(item);
        bytes += size;
      }
    }
    return { list, isFinished: !cut ? 1 : allExpired ? 2 : 0 };
  }

  private item(seq: number, withRecalled: boolean, edge: number): GroupMsg | undefined {
    const kind = seqKind(this.cfg, seq);
    if (seq >= edge && kind === 'never') return undefined;
    const state = seq < edge ? 'expired' : (this.changed.get(seq) ?? kind);
    const msg = generateMessage(this.cfg, seq, this.timestamp(seq));
    switch (state) {
      case 'expired':
      case 'deleted':
        return { From_Account: '', IsPlaceMsg: 1, MsgBody: [], MsgRandom: msg.MsgRandom, MsgSeq: seq, MsgTimeStamp: msg.MsgTimeStamp };
      case 'recalled':
        if (!withRecalled) return undefined;
        return { From_Account: msg.From_Account, IsPlaceMsg: 2, MsgBody: [], MsgPriority: msg.MsgPriority, MsgRandom: msg.MsgRandom, MsgSeq: seq, MsgTimeStamp: msg.MsgTimeStamp };
      default:
        return this.signed(msg);
    }
  }

  /** MsgTimeStamp of a Seq in 1..newestSeq (kept even when the message is gone). */
  timestamp(seq: number): number {
    return seq <= this.cfg.count ? timestampOf(this.cfg, seq) : this.appendedTimes[seq - this.cfg.count - 1]!;
  }

  private inRange(seq: number): void {
    if (!Number.isInteger(seq) || seq < 1 || seq > this.newest) throw new RangeError(`Seq ${seq} is outside 1..${this.newest}`);
  }

  private stored(seq: number, what: string): SeqState {
    this.inRange(seq);
    const s = this.changed.get(seq) ?? seqKind(this.cfg, seq);
    if (s === 'never') throw new RangeError(`${what}(${seq}): Seq ${seq} was never stored`);
    return s;
  }
}
