// The emulator's harness API: other tests, the benchmarks and the demo code against exactly these names.

import type { EmulatedGroup } from './seq-space';
import type { EmulatedPeople } from './people';
import type { MediaShape } from './generate';
import type { EmulatedMedia } from './media';

export type { MediaShape } from './generate';
export type { EmulatedMedia, MediaFaults, MediaTruth } from './media';

export type { EmulatedGroup, SeqState } from './seq-space';
export type { Churn, EmulatedPeople } from './people';

/** Probabilities per request (0..1), applied after the request passed every check, so they look like the network. */
export interface EmulatorFaults {
  /** A FAIL envelope with ErrorCode 10002 (internal error). */
  p10002?: number;
  /** HTTP 502 with an HTML body. */
  p502?: number;
  /** The connection is destroyed in the middle of the response body. */
  pReset?: number;
  /** Status 200 with the JSON cut short (Content-Length matches the cut body). */
  pTruncated?: number;
  /** The answer comes slowMs late (in addition to the latency). */
  pSlow?: number;
  /** Default 4000: longer than Tencent's own ~3 s server timeout. */
  slowMs?: number;
}

export interface GroupSpec {
  groupId: string;
  /** 'Public' by default; also Private, Work, ChatRoom, Meeting, Community, AVChatRoom, BChatRoom. */
  type?: string;
  name?: string;
  /** Initial newest Seq (generated from seed); default 100. */
  messages?: number;
  /** Default: a hash of groupId. */
  seed?: number;
  longShare?: number;
  recalledShare?: number;
  deletedShare?: number;
  neverStoredShare?: number;
  systemShare?: number;
  /** Seqs below this are expired placeholders. */
  retentionEdgeSeq?: number;
  /** Messages older than now − retentionDays expire too. */
  retentionDays?: number;
  /** The initial history's timestamps spread over this many days before the emulator started (default 30). */
  spanDays?: number;
  /** Ranges fully below the edge answer [] instead of placeholders. */
  expiredAnswersEmpty?: boolean;
  /** get_group_info says Work/Meeting instead of Private/ChatRoom (default: as spelled in `type`). */
  useNewTypeNames?: boolean;
  /**
   * Community groups only: topic IDs (`<GroupId>@TOPIC#_<name>`; the name is what follows `@TOPIC#_`), each its own
   * Seq space with `messages` Seqs. Absent = topics not turned on (get_topic answers 10007); [] = on, none yet.
   */
  topics?: string[];
  /** Member count (default 50). */
  members?: number;
  /** Messages come from the first this many members only (default: all of them). */
  senders?: number;
  /** Media sizes (default: folded into 64 KiB), shared contents, a big video, elements without URL (./generate.ts). */
  media?: MediaShape;
}

/** Short API names, as used in rateLimits and counters. */
export type ApiName = 'group_msg_get_simple' | 'get_appid_group_list' | 'get_group_info' | 'get_group_member_info' | 'portrait_get' | 'get_topic';

export interface AppSpec {
  sdkAppId: number;
  secretKey: string;
  admins: string[];
  groups: GroupSpec[];
  /** Every request answers 60016. */
  disabled?: boolean;
  /** The code answered over the rate limit: 60007 (default) or 10006 — the live one is unknown. */
  rateLimitCode?: number;
  /** Calls per sliding second per API, keyed by ApiName; defaults 200, and 1 for get_appid_group_list. */
  rateLimits?: Partial<Record<string, number>>;
}

export interface EmulatorOptions {
  apps: AppSpec[];
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Every response is delayed latencyMs ± jitterMs (uniform). */
  latencyMs?: number;
  jitterMs?: number;
  faults?: EmulatorFaults;
  /** Serialized RspMsgList budget of group_msg_get_simple; default 64 KiB. */
  responseBudgetBytes?: number;
  /** Unix seconds, for sig expiry, retention and the time of appended messages; default the wall clock. */
  now?: () => number;
  /** Monotonic milliseconds for the rate-limit windows and peakPerSecond; default performance.now. Tests freeze it. */
  clockMs?: () => number;
  /** Media downloads, all together, at most this many bytes per second (see media.setBandwidth). */
  mediaBandwidth?: number;
  /** Groups that grow on their own while clients read them (every app holding that group ID). */
  growth?: { groupId: string; perSecond: number }[];
}

export type FaultKind = '10002' | '502' | 'reset' | 'truncated' | 'slow';

export interface ApiCounters {
  requests: number;
  /** ErrorCode answered in an envelope → count ("0" = OK); 10002 faults included. */
  codes: Record<string, number>;
  faults: Record<FaultKind, number>;
  /** Most requests in flight at once (arrival to end of response). */
  maxInFlight: number;
  /** Most requests that arrived within any one-second sliding window. */
  peakPerSecond: number;
  /** Wall-clock Unix second → requests arriving in it. */
  perSecond: Record<string, number>;
}

export interface EmulatorCounters {
  /** Every request. */
  total: ApiCounters;
  /** Per ApiName; requests to unknown paths count under "unknown". */
  apis: Partial<Record<ApiName | 'unknown', ApiCounters>>;
}

export interface Emulator {
  /** e.g. http://127.0.0.1:PORT — the base URL a client is given. */
  readonly url: string;
  close(): Promise<void>;
  setFaults(f: EmulatorFaults): void;
  setLatency(ms: number, jitterMs?: number): void;
  /** Throws if the app, group or topic is unknown. */
  group(sdkAppId: number, groupId: string, topicId?: string): EmulatedGroup;
  /** The people of an app (members, profiles) as Tencent holds them now; tests change them between runs. */
  people(sdkAppId: number): EmulatedPeople;
  counters(): EmulatorCounters;
  resetCounters(): void;
  /** The media files behind the messages' URLs: truth, faults, bandwidth. */
  readonly media: EmulatedMedia;
}
