// From a profile to a working REST client: the SecretKey comes from the keychain (or, for the demo profile, the
// built-in emulator's public demo key) straight into the ImClient, and is remembered only by the scrubber. One
// pacer per SDKAppID, shared by every backup and listing of that app, as Tencent's limit is per app — and one
// more for the group listing's own limit of 1 call per second per app.

import { sleep } from '../engine/backoff';
import type { DirectoryApi } from '../engine/directory';
import type { ConnectionProblem, ConnectionReport, Profile, ProfileInput } from '../ipc/contract';
import { Pacer } from '../engine/pacer';
import { ImClient } from '../im/client';
import type { CredentialPart } from '../im/errors';
import { EndpointError } from '../im/regions';
import { LIMITS } from '../im/wire';
import type { SecretStore } from '../profiles/keychain';
import type { Demo } from './demo';
import { SecretScrubber, WorkerFailure } from './errors';

const PROBLEM: Record<CredentialPart, ConnectionProblem> = {
  key: 'key',
  usersig: 'key',
  sdkappid: 'sdkappid',
  'identifier-not-admin': 'not-admin',
  'app-disabled': 'app-disabled',
};

export class Connections {
  private readonly pacers = new Map<number, Pacer>();
  private readonly listGates = new Map<number, ListGate>();

  constructor(
    private readonly secrets: SecretStore,
    private readonly scrubber: SecretScrubber,
    private readonly demo: Demo,
  ) {}

  /** A client for a saved profile; the caller closes it. */
  async client(profile: Profile): Promise<ImClient> {
    if (profile.demo) {
      const emulator = await this.demo.ensure();
      return new ImClient({ endpoint: emulator.url, sdkAppId: profile.sdkAppId, identifier: profile.admin, secretKey: emulator.secretKey });
    }
    const key = await this.secrets.get(profile.name);
    if (!key) {
      throw WorkerFailure.of('no-secret-key', 'no-secret-key', { profile: profile.name });
    }
    return new ImClient({ endpoint: profile.endpoint, sdkAppId: profile.sdkAppId, identifier: profile.admin, secretKey: this.scrubber.remember(key) });
  }

  /** The app's one pacer, at the profile's rate (a changed rate takes effect for the next run). */
  pacer(profile: Profile): Pacer {
    let p = this.pacers.get(profile.sdkAppId);
    if (!p || p.target !== profile.rate) {
      p = new Pacer({ rate: profile.rate });
      this.pacers.set(profile.sdkAppId, p);
    }
    return p;
  }

  /**
   * The client as the engine's group listing uses it. Several listings of one app may run at once (the groups
   * screen while a backup of every group lists them too); get_appid_group_list allows 1 call per second per app
   * in all, so its calls also pass that app's one shared gate.
   */
  /** The app's one gate for get_appid_group_list (1 call/s), shared by listings and connection tests. */
  private listGate(sdkAppId: number): ListGate {
    let gate = this.listGates.get(sdkAppId);
    if (!gate) this.listGates.set(sdkAppId, (gate = new ListGate()));
    return gate;
  }

  directory(client: ImClient, profile: Profile, signal?: AbortSignal): DirectoryApi {
    const shared = this.listGate(profile.sdkAppId);
    return {
      groupMsgGetSimple: (req) => client.groupMsgGetSimple(req),
      getGroupInfo: (groupIds) => client.getGroupInfo(groupIds),
      getTopic: (groupId) => client.getTopic(groupId),
      getAppidGroupList: async (req) => {
        await shared.pass(signal);
        return client.getAppidGroupList(req);
      },
    };
  }

  /** Tries the credentials with one cheap call; the report names what is wrong. Never throws for a bad answer. */
  async test(profile: Profile | ProfileInput, typedKey: string | undefined): Promise<ConnectionReport> {
    let client: ImClient;
    try {
      if (typedKey !== undefined) {
        client = new ImClient({ endpoint: profile.endpoint, sdkAppId: profile.sdkAppId, identifier: profile.admin, secretKey: this.scrubber.remember(typedKey) });
      } else {
        client = await this.client({ archivePath: '', ...profile });
      }
    } catch (err) {
      if (err instanceof EndpointError) return { ok: false, ms: 0, problem: 'endpoint', message: err.message };
      if (err instanceof WorkerFailure && err.kind === 'no-secret-key') return { ok: false, ms: 0, problem: 'no-key', message: err.message };
      throw err;
    }
    try {
      // A test right after another (Save tests too) must not be refused as "too many requests"; and if Tencent
      // says so all the same (the app's own servers share its 1 call/s), that is worth one more try, a second on.
      let outcome;
      for (let attempt = 0; ; attempt++) {
        await this.listGate(profile.sdkAppId).pass();
        outcome = await client.testConnection();
        if (outcome.ok || outcome.error.kind !== 'rate-limited' || attempt >= 2) break;
      }
      if (outcome.ok) return { ok: true, ms: outcome.ms, totalGroups: outcome.totalGroups };
      const e = outcome.error;
      const problem: ConnectionProblem =
        e.kind === 'credentials' && e.part ? PROBLEM[e.part]
        : e.wrongEndpoint ? 'endpoint'
        : e.kind === 'rate-limited' ? 'rate-limited'
        : e.kind === 'transient' ? 'network'
        : 'other';
      return { ok: false, ms: outcome.ms, problem, message: this.scrubber.scrub(e.message), said: this.scrubber.scrubSaid(e.said) };
    } finally {
      client.close();
    }
  }
}

/**
 * get_appid_group_list's limit, strictly: one call per second, with no catch-up after a quiet spell (unlike the
 * Pacer, which makes up two intervals of lateness), and a little to spare as arrival times jitter.
 */
const LIST_SPACING_MS = 1000 / LIMITS.groupListPerSecond + 50;

class ListGate {
  private next = 0;
  private queue: Promise<void> = Promise.resolve();

  pass(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(async () => {
      signal?.throwIfAborted();
      const wait = this.next - performance.now();
      if (wait > 0) await sleep(wait, signal);
      this.next = performance.now() + LIST_SPACING_MS;
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}
