// The Tencent Cloud IM REST client: signs, posts, checks the envelope and turns every failure into an ImError.
// It retries nothing except a 70001 (sig expired) once with a fresh sig: rate limits and transient failures are
// the engine's to pace and back off, so it must see them. Callers pace it (see beforeCall).

import { randomInt } from 'node:crypto';
import { inspect } from 'node:util';
import { type ErrorContext, ImError } from './errors';
import { HttpPool } from './http';
import { encodeBody, parseWithExactNext, uint64 } from './json64';
import { endpointFor, requestUrl } from './regions';
import { UserSigCache } from './usersig';
import {
  type Envelope,
  type GetAppidGroupListRequest,
  type GetAppidGroupListResponse,
  type GetGroupInfoResponse,
  type GetGroupMemberInfoRequest,
  type GetGroupMemberInfoResponse,
  type GetTopicResponse,
  type GroupInfo,
  type GroupMsgGetSimpleRequest,
  type GroupMsgGetSimpleResponse,
  type PortraitGetResponse,
  type TopicAndSelfInfo,
  type UserProfileItem,
  LIMITS,
  SERVICES,
  TAG_NICK,
} from './wire';

export interface ImClientOptions {
  /** A region ID or a base URL (see endpointFor). */
  endpoint: string;
  sdkAppId: number;
  /** An App admin account. */
  identifier: string;
  secretKey: string;
  /** Unix seconds; default the wall clock. */
  now?: () => number;
  /** Whole-request deadline; default 10 s, longer than Tencent's own ~3 s. */
  timeoutMs?: number;
  /** Lifetime of each UserSig in seconds (default one day). */
  sigExpire?: number;
}

/** Awaited before each call of a multi-call helper, so the caller's pacer decides when it goes out. */
export type BeforeCall = () => Promise<void>;

export interface GroupListOptions {
  /** Groups per page, ≤ 10000 (default). */
  limit?: number;
  groupType?: string;
  /** get_appid_group_list allows one call per second: pace here. */
  beforeCall?: BeforeCall;
}

export type ConnectionTest =
  | { ok: true; ms: number; totalGroups: number }
  | { ok: false; ms: number; error: ImError };

export const DEFAULT_TIMEOUT_MS = 10_000;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export class ImClient {
  readonly endpoint: string;
  readonly sdkAppId: number;
  readonly identifier: string;
  readonly timeoutMs: number;
  readonly #secretKey: string;
  readonly #sigs: UserSigCache;
  readonly #http = new HttpPool();
  readonly #ctx: ErrorContext;

  constructor(o: ImClientOptions) {
    if (!Number.isSafeInteger(o.sdkAppId) || o.sdkAppId <= 0) throw new RangeError(`The SDKAppID must be a positive whole number (got ${o.sdkAppId}).`);
    if (!o.identifier) throw new RangeError('The admin account (identifier) is empty.');
    if (!o.secretKey) throw new RangeError('The SecretKey is empty.');
    this.endpoint = endpointFor(o.endpoint);
    this.sdkAppId = o.sdkAppId;
    this.identifier = o.identifier;
    this.timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#secretKey = o.secretKey;
    this.#sigs = new UserSigCache({
      sdkAppId: o.sdkAppId,
      identifier: o.identifier,
      secretKey: o.secretKey,
      ...(o.now ? { now: o.now } : {}),
      ...(o.sigExpire !== undefined ? { expire: o.sigExpire } : {}),
    });
    this.#ctx = { host: new URL(this.endpoint).host, sdkAppId: o.sdkAppId, identifier: o.identifier, timeoutMs: this.timeoutMs };
  }

  /** One API call: `service` like SERVICES.getGroupInfo, `body` a JSON object (top-level bigints go out as bare integers). */
  async call<Res extends Envelope = Envelope>(service: string, body: object = {}): Promise<Res> {
    const payload = encodeBody(body);
    const sig = this.#sigs.get();
    try {
      return await this.#send<Res>(service, payload, sig);
    } catch (err) {
      // Our clock and Tencent's may disagree near the end of a sig's life: one fresh sig, one more try.
      if (!(err instanceof ImError) || err.code !== 70001) throw err;
      return this.#send<Res>(service, payload, this.#sigs.renew(sig));
    }
  }

  async #send<Res>(service: string, payload: string, userSig: string): Promise<Res> {
    const url = requestUrl(this.endpoint, service, { sdkAppId: this.sdkAppId, identifier: this.identifier, userSig, random: randomInt(0, 2 ** 32) });
    const out = await this.#http.post(url, payload, this.timeoutMs);
    if (!out.ok) throw ImError.network(out.failure, service, this.#ctx);
    if (out.status < 200 || out.status > 299) throw ImError.http(out.status, service, this.#ctx);
    let json: unknown;
    try {
      json = parseWithExactNext(UTF8.decode(out.body));
    } catch {
      // A web page (a wrong base URL, a proxy's or a Wi-Fi portal's page) is not a hiccup: retrying cannot help.
      throw looksLikeHtml(out.body) ? ImError.protocol('web-page', service, this.#ctx) : ImError.badResponse(service, this.#ctx);
    }
    if (!isEnvelope(json)) throw ImError.protocol('not-tencent', service, this.#ctx);
    const code = json.ErrorCode ?? 0;
    if (json.ActionStatus === 'OK' && code === 0) return json as Res;
    if (typeof code !== 'number') throw ImError.protocol('not-tencent', service, this.#ctx);
    throw ImError.fromCode(code, this.#scrub(typeof json.ErrorInfo === 'string' ? json.ErrorInfo : '', userSig), service, this.#ctx);
  }

  /** Tencent's ErrorInfo goes into messages: make sure it cannot carry our secrets back out. */
  #scrub(info: string, userSig: string): string {
    return info.replaceAll(this.#secretKey, '[SecretKey]').replaceAll(userSig, '[UserSig]');
  }

  async groupMsgGetSimple(req: GroupMsgGetSimpleRequest): Promise<GroupMsgGetSimpleResponse> {
    const res = await this.call<GroupMsgGetSimpleResponse>(SERVICES.groupMsgGetSimple, req);
    res.RspMsgList ??= [];
    return res;
  }

  /** One page of the app's groups. `Next` is a decimal string both ways; it travels as a bare 64-bit integer. */
  async getAppidGroupList(req: GetAppidGroupListRequest = {}): Promise<GetAppidGroupListResponse> {
    const { Next, ...rest } = req;
    let cursor: bigint | undefined;
    if (Next !== undefined) {
      cursor = uint64(Next);
      if (cursor === undefined) throw new RangeError(`get_appid_group_list Next must be an unsigned 64-bit decimal integer (got "${Next}").`);
    }
    const res = await this.call<GetAppidGroupListResponse>(SERVICES.getAppidGroupList, { ...rest, ...(cursor !== undefined ? { Next: cursor } : {}) });
    res.GroupIdList ??= [];
    res.Next = res.Next === undefined || res.Next === null ? '0' : String(res.Next);
    return res;
  }

  /** Every page of the app's groups, following Next until it is 0. Does not sleep: pace with beforeCall. */
  async *groupListPages(opts: GroupListOptions = {}): AsyncGenerator<GetAppidGroupListResponse, void, undefined> {
    const seen = new Set<string>();
    let next = '0';
    do {
      seen.add(next);
      await opts.beforeCall?.();
      const page = await this.getAppidGroupList({
        Limit: opts.limit ?? LIMITS.groupListMaxLimit,
        Next: next,
        ...(opts.groupType !== undefined ? { GroupType: opts.groupType } : {}),
      });
      if (page.Next !== '0' && seen.has(page.Next)) throw ImError.protocol('cursor-loop', SERVICES.getAppidGroupList, this.#ctx);
      yield page;
      next = page.Next;
    } while (next !== '0');
  }

  /**
   * Group information in batches of 50, in the order asked. A group Tencent refuses (10010, 10015) is an entry
   * with its own ErrorCode, not a thrown error.
   */
  getGroupInfo(groupIds: string[], opts: { responseFilter?: Record<string, unknown>; beforeCall?: BeforeCall } = {}): Promise<GroupInfo[]> {
    return this.#batched(groupIds, LIMITS.groupInfoBatch, opts.beforeCall, async (GroupIdList) => {
      const res = await this.call<GetGroupInfoResponse>(SERVICES.getGroupInfo, {
        GroupIdList,
        ...(opts.responseFilter ? { ResponseFilter: opts.responseFilter } : {}),
      });
      return res.GroupInfo ?? [];
    });
  }

  async getGroupMemberInfo(req: GetGroupMemberInfoRequest): Promise<GetGroupMemberInfoResponse> {
    const res = await this.call<GetGroupMemberInfoResponse>(SERVICES.getGroupMemberInfo, req);
    res.MemberList ??= [];
    return res;
  }

  /** Every topic of a Community group with topics (one call; a topic Tencent refuses is an entry with its ErrorCode). */
  async getTopic(groupId: string): Promise<TopicAndSelfInfo[]> {
    const res = await this.call<GetTopicResponse>(SERVICES.getTopic, { GroupId: groupId, From_Account: this.identifier });
    return res.TopicAndSelfInfo ?? [];
  }

  /** Profiles in batches of 100; an unknown account is an entry with its own ResultCode. */
  portraitGet(accounts: string[], tags: string[] = [TAG_NICK], opts: { beforeCall?: BeforeCall } = {}): Promise<UserProfileItem[]> {
    return this.#batched(accounts, LIMITS.portraitBatch, opts.beforeCall, async (To_Account) => {
      const res = await this.call<PortraitGetResponse>(SERVICES.portraitGet, { To_Account, TagList: tags });
      return res.UserProfileItem ?? [];
    });
  }

  async #batched<T>(items: string[], size: number, beforeCall: BeforeCall | undefined, fetch: (batch: string[]) => Promise<T[]>): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < items.length; i += size) {
      await beforeCall?.();
      out.push(...(await fetch(items.slice(i, i + size))));
    }
    return out;
  }

  /**
   * One cheap call (a one-group page of the group list) to check endpoint and credentials. Never throws an
   * ImError: the outcome says what is wrong. It uses get_appid_group_list's 1/s budget.
   */
  async testConnection(): Promise<ConnectionTest> {
    const started = performance.now();
    try {
      const res = await this.getAppidGroupList({ Limit: 1 });
      return { ok: true, ms: performance.now() - started, totalGroups: res.TotalCount };
    } catch (err) {
      if (!(err instanceof ImError)) throw err;
      return { ok: false, ms: performance.now() - started, error: err };
    }
  }

  /** Closes pooled connections. */
  close(): void {
    this.#http.close();
  }

  toJSON(): object {
    return { endpoint: this.endpoint, sdkAppId: this.sdkAppId, identifier: this.identifier, secretKey: '[redacted]', timeoutMs: this.timeoutMs };
  }

  toString(): string {
    return `ImClient(${this.endpoint}, SDKAppID ${this.sdkAppId}, admin ${this.identifier})`;
  }

  [inspect.custom](): string {
    return `ImClient ${inspect(this.toJSON())}`;
  }
}

function isEnvelope(v: unknown): v is Partial<Envelope> & { ActionStatus: 'OK' | 'FAIL' } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && ((v as Envelope).ActionStatus === 'OK' || (v as Envelope).ActionStatus === 'FAIL');
}

function looksLikeHtml(body: Buffer): boolean {
  return /^\ufeff?\s*<(?:!doctype\s+html|html|head|body|!--)/iu.test(body.subarray(0, 512).toString('utf8'));
}
