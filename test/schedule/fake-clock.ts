// A clock the test moves by hand: timers fire only when advance() passes them; sleep() moves time without
// firing anything, as a suspended laptop does, until wake() is called.

import type { Clock } from '../../app/schedule/clock';

export class FakeClock implements Clock {
  private timers: { at: number; fn: () => void }[] = [];
  /** Every delay the scheduler asked for, in order. */
  readonly requested: number[] = [];

  constructor(
    public time: number,
    public zone = 'UTC',
  ) {}

  now(): number {
    return this.time;
  }

  timeZone(): string {
    return this.zone;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const t = { at: this.time + ms, fn };
    this.requested.push(ms);
    this.timers.push(t);
    return () => (this.timers = this.timers.filter((x) => x !== t));
  }

  /** Moves time forward, firing each timer at its moment (and letting what it starts settle). */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await settle();
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = Math.max(this.time, next.at);
      next.fn();
    }
    this.time = end;
    await settle();
  }

  /** Time passes with no timer firing. */
  sleep(ms: number): void {
    this.time += ms;
  }

  get pending(): number {
    return this.timers.length;
  }
}

/** Lets promise chains run to their end. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}
