// The system's proxy for the worker's HTTPS: Chromium knows it (OS settings, PAC scripts, WPAD), Node does not,
// so main asks Electron's session for each origin an operation is about to reach and hands the answers to the
// worker (app/im/proxy.ts). Answers are asked again after a few minutes: a laptop changes networks. Media files
// come from hosts nobody knows before the messages name them: they go as the operation's endpoint goes (ANY_ORIGIN).

import type { BackgroundWorker } from '../desktop/background';
import { ANY_ORIGIN } from '../im/proxy';
import { endpointFor } from '../im/regions';
import type { ArgsOf, Profile, ProfileInput, WorkerOperation } from '../ipc/contract';

const MAX_AGE_MS = 5 * 60_000;

export interface SystemProxyOptions {
  /** session.defaultSession.resolveProxy */
  resolve(url: string): Promise<string>;
  /** Hands every answer so far to the worker. */
  send(byOrigin: Record<string, string>): Promise<void>;
  log(line: string): void;
  now?: () => number;
}

export class SystemProxy {
  private readonly answers = new Map<string, { answer: string; at: number }>();
  /** Profile name → endpoint, from the profiles the worker answered with. */
  private readonly endpoints = new Map<string, string>();
  /** The answer sent for ANY_ORIGIN: the last operation's endpoint's. */
  private any: string | undefined;

  constructor(private readonly opts: SystemProxyOptions) {}

  remember(profiles: Profile[]): void {
    for (const p of profiles) this.endpoints.set(p.name, p.endpoint);
  }

  /** Before a worker operation: resolves the origins it will reach, unless known and recent. */
  async before(op: WorkerOperation, args: unknown[]): Promise<void> {
    const endpoint = this.endpointOf(op, args[0]);
    if (endpoint === undefined) return;
    const now = (this.opts.now ?? Date.now)();
    const origins = originsOf(endpoint);
    const stale = origins.filter((o) => {
      const known = this.answers.get(o);
      return !known || now - known.at > MAX_AGE_MS;
    });
    const primary = origins[0] !== undefined ? this.answers.get(origins[0])?.answer : undefined;
    if (stale.length === 0 && primary === this.any) return;
    for (const origin of stale) {
      try {
        this.answers.set(origin, { answer: await this.opts.resolve(`${origin}/`), at: now });
      } catch (err) {
        this.opts.log(`the system proxy for ${origin} could not be resolved (connecting directly): ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    this.any = origins[0] !== undefined ? this.answers.get(origins[0])?.answer : undefined;
    const byOrigin = Object.fromEntries([...this.answers].map(([origin, a]) => [origin, a.answer]));
    await this.opts.send(this.any !== undefined ? { ...byOrigin, [ANY_ORIGIN]: this.any } : byOrigin);
  }

  private endpointOf(op: WorkerOperation, arg: unknown): string | undefined {
    const a = arg as { profile?: string | ProfileInput; source?: string } | undefined;
    const network = op === 'testConnection' || op === 'startBackup' || op === 'fetchMissing' || (op === 'listGroups' && a?.source === 'tencent');
    if (!network || a?.profile === undefined) return undefined;
    return typeof a.profile === 'string' ? this.endpoints.get(a.profile) : a.profile.endpoint;
  }
}

/** The https origins an endpoint reaches: a region's primary and backup domains, or the base URL's. */
function originsOf(endpoint: string): string[] {
  const origins = new Set<string>();
  for (const domain of ['primary', 'backup'] as const) {
    try {
      const url = new URL(endpointFor(endpoint, domain));
      if (url.protocol === 'https:') origins.add(url.origin);
    } catch {
      // No backup domain for this region, or not an endpoint at all (the worker will say so).
    }
  }
  return [...origins];
}

/**
 * The worker as the scheduler and the tray call it: their backups reach the network without the window (at login
 * nothing else runs), so they too resolve the system proxy first, and the profiles they list say which endpoint
 * each reaches. The window's operations do the same through routeOperations' hooks (./app).
 */
export function throughSystemProxy(worker: BackgroundWorker, proxy: SystemProxy): BackgroundWorker {
  return {
    async call<K extends WorkerOperation>(op: K, ...args: ArgsOf<K>) {
      await proxy.before(op, args);
      const result = await worker.call(op, ...args);
      if (op === 'listProfiles' && result.ok) proxy.remember(result.value as Profile[]);
      return result;
    },
    onEvent: (listener) => worker.onEvent(listener),
  };
}
