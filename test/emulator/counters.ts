// Request statistics per API, so tests and benchmarks can check what a client really did to the server.

import { SlidingWindow } from './sliding-window';
import type { ApiCounters, ApiName, EmulatorCounters, FaultKind } from './types';

type Key = ApiName | 'unknown';

class Tally {
  readonly c: ApiCounters = {
    requests: 0,
    codes: {},
    faults: { '10002': 0, '502': 0, reset: 0, truncated: 0, slow: 0 },
    maxInFlight: 0,
    peakPerSecond: 0,
    perSecond: {},
  };
  private readonly window = new SlidingWindow();

  arrive(nowMs: number, inFlight: number): void {
    const c = this.c;
    c.requests++;
    c.maxInFlight = Math.max(c.maxInFlight, inFlight);
    c.peakPerSecond = Math.max(c.peakPerSecond, this.window.hit(nowMs));
    const second = String(Math.floor(Date.now() / 1000));
    c.perSecond[second] = (c.perSecond[second] ?? 0) + 1;
  }
}

export class Counters {
  private total = new Tally();
  private apis = new Map<Key, Tally>();
  /** In flight now: survives resetCounters, which only clears the statistics. */
  private readonly inFlight = new Map<Key | 'total', number>();

  arrive(api: Key, nowMs: number): void {
    const n = this.bump(api, 1);
    const all = this.bump('total', 1);
    this.tally(api).arrive(nowMs, n);
    this.total.arrive(nowMs, all);
  }

  depart(api: Key): void {
    this.bump(api, -1);
    this.bump('total', -1);
  }

  code(api: Key, code: number): void {
    for (const t of [this.tally(api), this.total]) t.c.codes[code] = (t.c.codes[code] ?? 0) + 1;
  }

  fault(api: Key, kind: FaultKind): void {
    for (const t of [this.tally(api), this.total]) t.c.faults[kind]++;
  }

  snapshot(): EmulatorCounters {
    return structuredClone({ total: this.total.c, apis: Object.fromEntries([...this.apis].map(([k, t]) => [k, t.c])) });
  }

  reset(): void {
    this.total = new Tally();
    this.apis = new Map();
  }

  private tally(api: Key): Tally {
    let t = this.apis.get(api);
    if (!t) this.apis.set(api, (t = new Tally()));
    return t;
  }

  private bump(key: Key | 'total', by: number): number {
    const n = (this.inFlight.get(key) ?? 0) + by;
    this.inFlight.set(key, n);
    return n;
  }
}
