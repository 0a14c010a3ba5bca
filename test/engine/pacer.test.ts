import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_RATE, Pacer, RateError, checkRate } from '../../app/engine/pacer';
import { Limiter } from '../../app/engine/limiter';

describe('Pacer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function acquireTimes(pacer: Pacer, n: number): Promise<number[]> {
    const times: number[] = [];
    const all = Array.from({ length: n }, () => pacer.acquire().then(() => times.push(Date.now())));
    await vi.runAllTimersAsync();
    await Promise.all(all);
    return times.sort((a, b) => a - b);
  }

  function maxInAnySecond(times: number[]): number {
    let max = 0;
    let lo = 0;
    for (let hi = 0; hi < times.length; hi++) {
      while (times[hi]! - times[lo]! >= 1000) lo++;
      max = Math.max(max, hi - lo + 1);
    }
    return max;
  }

  it('never lets more than rate calls into any one-second sliding window, even when all ask at once', async () => {
    const pacer = new Pacer({ rate: DEFAULT_RATE, now: () => Date.now() });
    const times = await acquireTimes(pacer, 900);
    expect(maxInAnySecond(times)).toBeLessThanOrEqual(DEFAULT_RATE);
    // …and it does not under-use the allowance either: 900 calls take about 5 s.
    expect(times.at(-1)! - times[0]!).toBeLessThan(5100);
  });

  it('makes up the calls a stalled event loop missed, at twice the pace at most and within the one-second window', async () => {
    const pacer = new Pacer({ rate: 100, now: () => Date.now() });
    const times: number[] = [];
    const all = Array.from({ length: 400 }, () => pacer.acquire().then(() => times.push(Date.now())));
    const start = Date.now();
    // Twice during the run the loop is blocked for 95 ms (a long commit): time passes and the pacer wakes up late.
    for (const at of [700, 2300]) {
      await vi.advanceTimersByTimeAsync(at - (Date.now() - start));
      vi.setSystemTime(Date.now() + 95);
    }
    await vi.runAllTimersAsync();
    await Promise.all(all);
    times.sort((a, b) => a - b);
    // 400 calls at 100/s: 3.99 s from the first to the last, stalls and all (without making up: ~4.17 s).
    expect(times.at(-1)! - times[0]!).toBeLessThanOrEqual(4000);
    expect(maxInAnySecond(times)).toBeLessThanOrEqual(100);
    expect(Math.min(...times.slice(1).map((t, i) => t - times[i]!))).toBeGreaterThanOrEqual(5);
  });

  it('halves the rate on a rate-limit answer, ignores echoes of the same overload, and recovers', async () => {
    const pacer = new Pacer({ rate: 100, now: () => Date.now() });
    pacer.onRateLimited();
    pacer.onRateLimited();
    expect(pacer.rate).toBe(50);
    expect(pacer.slowdowns).toBe(1);
    await vi.advanceTimersByTimeAsync(1500);
    pacer.onRateLimited();
    expect(pacer.rate).toBeLessThan(50);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(pacer.rate).toBe(100);
  });

  it('paces at the lowered rate after a slowdown', async () => {
    const pacer = new Pacer({ rate: 100, now: () => Date.now() });
    pacer.onRateLimited();
    const times = await acquireTimes(pacer, 60);
    expect(maxInAnySecond(times)).toBeLessThanOrEqual(60);
  });

  it('grants urgent callers before bulk callers that are already waiting, first come first served within a lane', async () => {
    const pacer = new Pacer({ rate: 100, now: () => Date.now() });
    const order: string[] = [];
    const ask = (name: string, lane?: 'urgent' | 'bulk') => pacer.acquire(undefined, lane).then(() => order.push(name));
    const all = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7'].map((name) => ask(name));
    // b1 goes at once, then one every 10 ms: b2 at 10, and at 20 the urgent callers are waiting.
    await vi.advanceTimersByTimeAsync(15);
    all.push(ask('u1', 'urgent'), ask('u2', 'urgent'));
    await vi.runAllTimersAsync();
    await Promise.all(all);
    expect(order).toEqual(['b1', 'b2', 'u1', 'u2', 'b3', 'b4', 'b5', 'b6', 'b7']);
  });

  it('keeps the pace when urgent and bulk callers mix', async () => {
    const pacer = new Pacer({ rate: DEFAULT_RATE, now: () => Date.now() });
    const times: number[] = [];
    const all = Array.from({ length: 400 }, (_, i) => pacer.acquire(undefined, i % 3 ? 'bulk' : 'urgent').then(() => times.push(Date.now())));
    await vi.runAllTimersAsync();
    await Promise.all(all);
    expect(maxInAnySecond(times.sort((a, b) => a - b))).toBeLessThanOrEqual(DEFAULT_RATE + 3);
  });

  it('gives a cancelled wait\'s slot to the next caller', async () => {
    const pacer = new Pacer({ rate: 10, now: () => Date.now() });
    await pacer.acquire();
    const start = Date.now();
    const abort = new AbortController();
    const cancelled = pacer.acquire(abort.signal);
    const next = pacer.acquire().then(() => Date.now() - start);
    abort.abort(new Error('stop'));
    await expect(cancelled).rejects.toThrow('stop');
    await vi.runAllTimersAsync();
    // One interval (100 ms) after the first grant, not two.
    expect(await next).toBeLessThanOrEqual(100);
  });

  it('runs work between grants: after a grant, never when the next one is about to fall due', async () => {
    const pacer = new Pacer({ rate: 100, now: () => Date.now() });
    const log: string[] = [];
    const grants = ['a', 'b', 'c', 'd', 'e'].map((name) => pacer.acquire().then(() => log.push(`grant ${name}`)));
    // a goes at 0, b falls due at 10 ms, c at 20 ms: at 9 ms the work would make b late, so it waits for b.
    await vi.advanceTimersByTimeAsync(9);
    const work = pacer.betweenGrants(() => {
      log.push('work');
      return 42;
    });
    const failing = expect(
      pacer.betweenGrants(() => {
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    await vi.runAllTimersAsync();
    await Promise.all(grants);
    expect(await work).toBe(42);
    await failing;
    expect(log).toEqual(['grant a', 'grant b', 'work', 'grant c', 'grant d', 'grant e']);
  });

  it('lets no burst through after a quiet spell: at 1 call/s the second call waits a full second', async () => {
    const pacer = new Pacer({ rate: 1, now: () => Date.now() });
    await pacer.acquire();
    await vi.advanceTimersByTimeAsync(60_000);
    const start = Date.now();
    const times = await acquireTimes(pacer, 3);
    expect(times.map((t) => t - start)).toEqual([0, 1000, 2000]);
  });

  it('runs work at once when nobody waits for a grant', async () => {
    const pacer = new Pacer({ rate: 1, now: () => Date.now() });
    const work = pacer.betweenGrants(() => 'done');
    await vi.advanceTimersByTimeAsync(0);
    expect(await work).toBe('done');
  });

  it('stops waiting when the run is cancelled', async () => {
    const pacer = new Pacer({ rate: 1, now: () => Date.now() });
    await pacer.acquire();
    const abort = new AbortController();
    const waiting = pacer.acquire(abort.signal);
    abort.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });
});

describe('checkRate', () => {
  it.each([0, 500, 1.5, Number.NaN, -3, 201])('refuses %s with a message that says the allowed range', (rate) => {
    expect(() => checkRate(rate)).toThrow(RateError);
    expect(() => checkRate(rate)).toThrow(/1 to 200/);
  });
  it.each([1, 180, 200])('accepts %s', (rate) => expect(checkRate(rate)).toBe(rate));
});

describe('Limiter', () => {
  it('keeps at most max tasks in flight and runs them all', async () => {
    const limiter = new Limiter(3);
    let active = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limiter.run(async () => {
          peak = Math.max(peak, ++active);
          await new Promise((r) => setTimeout(r, 1));
          active--;
          return i;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
