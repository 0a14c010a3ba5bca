// Counts events in the last second, exactly: a sliding window over arrival times, not a per-second bucket
// (a bucket would allow 2× the limit across a second boundary, which Tencent's limiter is not known to allow).

const WINDOW_MS = 1000;

export class SlidingWindow {
  private times: number[] = [];
  private head = 0;

  /** Records an event at `nowMs` (monotonic) and returns how many events fall in (nowMs − 1 s, nowMs], this one included. */
  hit(nowMs: number): number {
    while (this.head < this.times.length && this.times[this.head]! <= nowMs - WINDOW_MS) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    this.times.push(nowMs);
    return this.times.length - this.head;
  }
}
