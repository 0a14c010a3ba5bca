// Paced API calls with the engine's retry rules. Outcomes the caller must act on are
// thrown as typed errors: GroupSkipped (this group cannot be backed up), WindowFailed (retries exhausted or
// the request itself is wrong) and, untouched, credential errors, which end the whole run.

import { type Said, SaidError } from '../errors/said';
import { ImError } from '../im/errors';
import type { GroupMsgGetSimpleRequest, GroupMsgGetSimpleResponse } from '../im/wire';
import { backoffDelay, sleep } from './backoff';
import type { CallContext, EngineContext, GroupRef } from './context';
import type { Lane } from './pacer';

/** This group cannot be backed up (unknown, invalid ID, keeps no history); the run goes on with the others. */
export class GroupSkipped extends SaidError {
  constructor(
    readonly groupId: string,
    reason: Said,
    readonly code?: number,
  ) {
    super(reason);
  }
}

/** Why a request gave up: what a person must do about it differs (check the network; lower the rate; report it). */
export type FailureCause = 'network' | 'rate-limited' | 'other';

export class WindowFailed extends SaidError {
  constructor(
    said: Said,
    readonly code?: number,
    readonly why: FailureCause = 'other',
    /** The ImError behind it, so a caller can still tell a network failure from a wrong endpoint. */
    cause?: ImError,
  ) {
    super(said, cause ? { cause } : undefined);
  }
}

const tooManyRequests = (code: number | undefined): Said => ({
  en: `Tencent kept answering "too many requests" (${code}); try again later or lower the rate.`,
  'zh-CN': `腾讯一直提示请求过于频繁（错误码 ${code}）；请稍后再试，或降低每秒请求数。`,
});

/** Raised by a too-large answer (10018) so the caller can ask for fewer messages. */
export class AskForFewer extends Error {}

export interface HistoryCallOptions {
  lane?: Lane;
  /** Called when the request goes out (again on each retry). */
  onSend?: () => void;
}

/**
 * Fetches [seq − count + 1, seq] of one group, newest first, including recalled messages (so a recall shows as
 * IsPlaceMsg 2 instead of a silent hole).
 */
export function getHistory(
  ctx: CallContext & Pick<EngineContext, 'api'>,
  group: Omit<GroupRef, 'gid'>,
  seq: number,
  count: number,
  opts: HistoryCallOptions = {},
): Promise<GroupMsgGetSimpleResponse> {
  const req: GroupMsgGetSimpleRequest = { GroupId: group.groupId, ReqMsgNumber: count, ReqMsgSeq: seq, WithRecalledMsg: 1, ...(group.topicId ? { TopicId: group.topicId } : {}) };
  return paced(
    ctx,
    group.groupId,
    () => {
      opts.onSend?.();
      return ctx.api.groupMsgGetSimple(req);
    },
    opts.lane,
  );
}

/**
 * Makes one API call under the app's pacer with the engine's retry rules: transient failures are retried with
 * jittered backoff, rate-limit answers slow the pacer down and resend the same request, so a refused call is
 * never lost or skipped. `groupId` names the group a group-level error belongs to.
 */
export async function paced<T>(ctx: CallContext, groupId: string, call: () => Promise<T>, lane?: Lane): Promise<T> {
  let failures = 0;
  let rateLimited = 0;
  for (;;) {
    await ctx.pacer.acquire(ctx.signal, lane);
    ctx.counters.requests++;
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof ImError)) throw err;
      switch (err.kind) {
        case 'rate-limited':
          ctx.counters.rateLimited++;
          ctx.pacer.onRateLimited();
          if (++rateLimited > ctx.retry.maxRateLimited) {
            throw new WindowFailed(tooManyRequests(err.code), err.code, 'rate-limited', err);
          }
          continue;
        case 'transient':
          if (++failures >= ctx.retry.maxAttempts) {
            throw new WindowFailed(err.gaveUp(failures), err.code, 'network', err);
          }
          ctx.counters.retries++;
          await sleep(backoffDelay(failures, ctx.retry, ctx.random), ctx.signal);
          continue;
        case 'too-large':
          throw new AskForFewer(err.message);
        case 'group':
          throw new GroupSkipped(groupId, err.said, err.code);
        case 'credentials':
          throw err;
        default:
          throw new WindowFailed(err.said, err.code, 'other', err);
      }
    }
  }
}
