// Every failure of a REST call becomes one ImError whose `kind` tells the caller what to do (spec §3): slow down,
// retry, stop the run (credentials), skip the group, ask for fewer messages, or give up on this request.
// The message comes from ./messages, in every language (`said`); it never contains the SecretKey, the UserSig or
// the request URL.

import { joinSaid, type Said, sayAll } from '../errors/said';
import { gaveUpAfter, MESSAGES, type MessageId, type MessageParams, RETRY } from './messages';

export type ImErrorKind = 'rate-limited' | 'transient' | 'credentials' | 'group' | 'too-large' | 'invalid-request' | 'unknown';
/** Which credential is wrong. */
export type CredentialPart = 'key' | 'sdkappid' | 'identifier-not-admin' | 'usersig' | 'app-disabled';
/** Why a group cannot be read. */
export type GroupReason = 'not-found' | 'invalid-id' | 'no-history';

export interface Classification {
  kind: ImErrorKind;
  part?: CredentialPart;
  reason?: GroupReason;
  message: MessageId;
}

const rule = (kind: ImErrorKind, message: MessageId, more: Pick<Classification, 'part' | 'reason'> = {}): Classification => ({ kind, message, ...more });

/** Spec §3. 70003/70005/70009/70016 all say "key": which one a wrong SecretKey gives is UNKNOWN. */
const CODES: readonly [readonly number[], Classification][] = [
  [[60007, 60011, 60018, 60019, 10006], rule('rate-limited', 'rate-limited')],
  [[10002, 60008], rule('transient', 'server-busy')],
  [[70001], rule('credentials', 'usersig-expired', { part: 'usersig' })],
  [[70003, 70005, 70009, 70016], rule('credentials', 'key', { part: 'key' })],
  [[70002, 70013, 70014, 70052], rule('credentials', 'usersig', { part: 'usersig' })],
  [[60006, 70020], rule('credentials', 'sdkappid', { part: 'sdkappid' })],
  [[60010, 70403], rule('credentials', 'identifier-not-admin', { part: 'identifier-not-admin' })],
  [[60016, 60017, 60020, 10026], rule('credentials', 'app-disabled', { part: 'app-disabled' })],
  [[10004, 60002, 60003], rule('invalid-request', 'invalid-request')],
  [[10007], rule('group', 'group-no-history', { reason: 'no-history' })],
  [[10010], rule('group', 'group-not-found', { reason: 'not-found' })],
  [[10015], rule('group', 'group-invalid-id', { reason: 'invalid-id' })],
  [[10018], rule('too-large', 'too-large')],
];
const BY_CODE = new Map(CODES.flatMap(([codes, cls]) => codes.map((code) => [code, cls] as const)));
const UNKNOWN = rule('unknown', 'unknown');

export function classify(code: number): Classification {
  return BY_CODE.get(code) ?? UNKNOWN;
}

/** What the client knows about the call, for the message (none of it secret). */
export interface ErrorContext {
  host?: string;
  sdkAppId?: number;
  identifier?: string;
  timeoutMs?: number;
}

type Details = Pick<MessageParams, 'code' | 'status' | 'network' | 'info'>;

export class ImError extends Error {
  override name = 'ImError';
  readonly kind: ImErrorKind;
  readonly part?: CredentialPart;
  readonly reason?: GroupReason;
  /** Tencent's ErrorCode, when Tencent answered. */
  readonly code?: number;
  /** HTTP status, when it was not 200. */
  readonly status?: number;
  /** Node error code (ECONNRESET…), 'timeout', or 'bad-response' for an unparsable body. */
  readonly network?: string;
  /** Tencent's ErrorInfo ('' if none). */
  readonly info: string;
  /** The API, e.g. v4/group_open_http_svc/group_msg_get_simple. */
  readonly path: string;
  readonly messageId: MessageId;
  readonly params: Readonly<MessageParams>;
  /** The message in every language; `message` is its English. */
  readonly said: Said;

  private constructor(cls: Classification, path: string, details: Details, ctx: ErrorContext) {
    const params: MessageParams = { ...ctx, ...details, api: path.slice(path.lastIndexOf('/') + 1) };
    const what = sayAll(MESSAGES, cls.message, params);
    const said = cls.kind === 'transient' ? joinSaid(what, RETRY) : what;
    super(said.en);
    this.said = said;
    this.kind = cls.kind;
    if (cls.part) this.part = cls.part;
    if (cls.reason) this.reason = cls.reason;
    if (details.code !== undefined) this.code = details.code;
    if (details.status !== undefined) this.status = details.status;
    if (details.network !== undefined) this.network = details.network;
    this.info = details.info ?? '';
    this.path = path;
    this.messageId = cls.message;
    this.params = params;
  }

  /** A FAIL envelope (or a per-item ErrorCode, e.g. one group of get_group_info). */
  static fromCode(code: number, info: string, path: string, ctx: ErrorContext = {}): ImError {
    return new ImError(classify(code), path, { code, info }, ctx);
  }

  /** A status other than 2xx: a proxy or load balancer spoke, not Tencent's API. */
  static http(status: number, path: string, ctx: ErrorContext = {}): ImError {
    const cls =
      status === 429 ? rule('rate-limited', 'http-busy')
      : status >= 500 || status === 408 ? rule('transient', 'http-busy')
      : rule('unknown', 'http-unexpected');
    return new ImError(cls, path, { status }, ctx);
  }

  /** No complete answer: reset, refused, DNS, timeout… */
  static network(cause: string, path: string, ctx: ErrorContext = {}): ImError {
    return new ImError(rule('transient', cause === 'timeout' ? 'timeout' : 'network'), path, { network: cause }, ctx);
  }

  /** A 2xx answer that is truncated or not JSON: a network hiccup as far as anyone can tell. */
  static badResponse(path: string, ctx: ErrorContext = {}): ImError {
    return new ImError(rule('transient', 'bad-response'), path, { network: 'bad-response' }, ctx);
  }

  /** Tencent (or whatever answered) broke the protocol: no envelope at all, a web page, or a paging cursor that repeats. */
  static protocol(what: 'not-tencent' | 'web-page' | 'cursor-loop', path: string, ctx: ErrorContext = {}): ImError {
    return new ImError(rule('unknown', what), path, {}, ctx);
  }

  /** Whatever answered is not Tencent's IM API: a web page, a proxy's error page, some other service's JSON. */
  get wrongEndpoint(): boolean {
    return this.messageId === 'web-page' || this.messageId === 'not-tencent' || this.messageId === 'http-unexpected';
  }

  /** What happened, once retrying a transient failure has stopped, in every language. */
  gaveUp(attempts: number): Said {
    return joinSaid(sayAll(MESSAGES, this.messageId, this.params), gaveUpAfter(attempts));
  }
}
