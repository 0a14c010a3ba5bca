// The media downloader: fetches the archive's pending media into the store, oldest first (they expire first at
// Tencent), a few at a time, beside the message download and outside the REST pacer (these are file downloads
// from Tencent's storage, not API calls). Transient failures are retried with backoff; 403/404/410 mean the file
// expired at Tencent (final). Below the disk floor it pauses, says so, and continues when space returns; the
// messages go on meanwhile. Everything it has not finished stays pending in the archive for the next run.

import type { Archive, MediaWork } from '../archive';
import type { ProxyFor } from '../im/proxy';
import { MediaConnections } from './connections';
import { fetchToFile, type FetchOptions, type FetchResult } from './fetch';
import type { MediaState } from './model';
import type { MediaPolicy } from './policy';
import { formatReason } from './reasons';
import { PLACE_BATCH, Placer } from './placing';
import { sniffMime } from './sniff';
import { MediaStore } from './store';

export interface MediaDownloadOptions {
  archive: Archive;
  policy: MediaPolicy;
  /** The API endpoint is on loopback (the emulator, the demo): media may come from loopback too. */
  allowLoopback: boolean;
  /** Downloads at once (default 4). */
  concurrency?: number;
  /** A cap over all downloads together; default none. */
  bytesPerSecond?: number;
  /** Free bytes where the media go; default the drive's (statfs). Tests inject it. */
  freeBytes?: () => Promise<number>;
  /** While paused for disk space, how often to look again (default 10 s). */
  diskRecheckMs?: number;
  /** While idle during a backup, how often to look for newly recorded media (default 250 ms). */
  pollMs?: number;
  /** No data for this long: the try is given up (default 30 s). */
  timeoutMs?: number;
  /** Tries per item in one run, and the backoff between them (doubling from baseMs up to maxMs, with jitter). */
  retry?: { tries: number; baseMs: number; maxMs: number };
  signal?: AbortSignal;
  /**
   * The groups (gids) whose media to fetch — a backup's own groups, as it learns them; a rendition belongs to the
   * group it was first seen in. Absent: every group's (`tim-backup media retry`). A backup of one group is never
   * held up by another group's thousands of files waiting.
   */
  groups?: () => readonly number[];
  onEvent?: (e: MediaEvent) => void;
  random?: () => number;
  /** Name resolution (tests). */
  resolve?: FetchOptions['resolve'];
  /** Which proxy a URL goes through; default the message client's rule (app/im/proxy.ts). */
  proxy?: ProxyFor;
}

export type MediaEvent =
  | { type: 'disk-paused'; freeBytes: number; floorBytes: number }
  | { type: 'disk-resumed' }
  | { type: 'settled'; key: string; state: MediaState };

export interface MediaRunSummary {
  /** Files of messages; avatars are counted apart. */
  stored: number;
  storedBytes: number;
  /** People's avatars stored (those that could not be are tried again next run, not counted as missing media). */
  avatars: number;
  expired: number;
  failed: number;
  tooLarge: number;
  /** Still pending when the run ended (cancelled, or waiting for disk space). */
  waiting: number;
  /** The run ended while media were paused for disk space. */
  diskPaused: boolean;
  /** Why no media could be downloaded at all (the media folder cannot be made or written); the messages are unaffected. */
  unavailable?: string;
}

const THROTTLE_BURST_MS = 20;

const MEDIA_DEFAULTS = { concurrency: 4, diskRecheckMs: 10_000, pollMs: 250, timeoutMs: 30_000, retry: { tries: 4, baseMs: 1000, maxMs: 30_000 } };

export class MediaDownloader {
  private readonly store: MediaStore;
  private readonly concurrency: number;
  private readonly retry: { tries: number; baseMs: number; maxMs: number };
  /** Items being downloaded or placed: key → until settled. */
  private readonly inFlight = new Map<string, Promise<void>>();
  /**
   * Of these, downloads on the network (at most `concurrency`); the others wait to be flushed and moved into place
   * (./placing.ts), which waits for the disk (tens of milliseconds on a busy one) after the connection is free for
   * the next download, so the network stays busy meanwhile.
   */
  private downloading = 0;
  private readonly placer: Placer;
  /** Items waiting out their backoff: key → when they may be tried again (performance clock). */
  private readonly retryAt = new Map<string, number>();
  private readonly tries = new Map<string, number>();
  private readonly connections: MediaConnections;
  private readonly stop = new AbortController();
  private finishing = false;
  private paused = false;
  private nextDiskCheck = 0;
  private linkFreeAt = 0;
  private wake: (() => void) | undefined;
  /** Poked since the loop last looked: a download that ended while the loop was busy must not wait for the next poll. */
  private poked = false;
  private loop: Promise<void> | undefined;
  private fatal: unknown;
  private readonly summary: MediaRunSummary = { stored: 0, storedBytes: 0, avatars: 0, expired: 0, failed: 0, tooLarge: 0, waiting: 0, diskPaused: false };

  constructor(private readonly opts: MediaDownloadOptions) {
    this.store = new MediaStore(opts.archive.path);
    this.placer = new Placer(this.store);
    this.connections = new MediaConnections(opts.proxy);
    // Media recorded from now on (by storeWindow, or from earlier messages) start under this policy.
    opts.archive.setMediaPolicy(opts.policy);
    this.concurrency = opts.concurrency ?? MEDIA_DEFAULTS.concurrency;
    this.retry = opts.retry ?? MEDIA_DEFAULTS.retry;
    const onAbort = () => {
      this.stop.abort();
      this.poke();
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
  }

  /** Starts downloading what is pending (failed media of earlier runs included) and whatever gets recorded next. */
  start(): void {
    this.loop ??= this.run().catch((err: unknown) => {
      this.fatal ??= err;
    });
  }

  /**
   * No more media will be recorded: downloads what is left, then ends. When paused for disk space it ends at once
   * (the media stay pending for the next run). Throws what stopped it, if anything did (the archive failing).
   */
  async finish(): Promise<MediaRunSummary> {
    this.start();
    this.finishing = true;
    this.poke();
    await this.loop;
    this.connections.close();
    if (this.fatal !== undefined) throw this.fatal;
    const groups = this.opts.groups?.();
    this.summary.waiting = groups ? groups.reduce((n, gid) => n + this.opts.archive.mediaCounts(gid).pending.items, 0) : this.opts.archive.mediaCounts().pending.items;
    this.summary.diskPaused = this.paused;
    return { ...this.summary };
  }

  private async run(): Promise<void> {
    try {
      await this.store.prepare();
    } catch (err) {
      // The messages matter more: the backup goes on without media, and says why.
      const e = err as NodeJS.ErrnoException;
      this.summary.unavailable = `${this.store.folder}: ${e.code ?? e.message}`;
      return;
    }
    // An archive of an earlier version holds messages whose media were never recorded: recorded now, a batch
    // at a time so that a backup's messages are not held up.
    while (!this.stop.signal.aborted && this.opts.archive.recordEarlierMedia()) await new Promise((r) => setImmediate(r));
    this.opts.archive.requeueFailedMedia();
    while (!this.stop.signal.aborted && this.fatal === undefined) {
      this.poked = false;
      await this.fill();
      // Nothing on the network (no work now, or waiting for disk space): nothing to gain by waiting for more files.
      if (this.downloading === 0) this.placer.flush();
      const idle = this.inFlight.size === 0 && this.retryAt.size === 0;
      if (this.finishing && idle && (this.paused || this.next().length === 0)) break;
      await this.sleep();
    }
    this.placer.flush();
    await Promise.allSettled(this.inFlight.values());
  }

  /** Starts downloads until every slot is busy, the work runs out, or the disk is too full. */
  private async fill(): Promise<void> {
    // Downloaded files waiting to be placed count too: at most a batch of them, then the disk sets the pace.
    while (this.downloading < this.concurrency && this.inFlight.size < this.concurrency + PLACE_BATCH && !this.stop.signal.aborted) {
      const item = this.next()[0];
      if (!item) return;
      if (!(await this.diskAllows(item))) return;
      const task = this.download(item)
        .catch((err: unknown) => {
          this.fatal ??= err;
        })
        .finally(() => {
          this.inFlight.delete(item.key);
          this.poke();
        });
      this.inFlight.set(item.key, task);
    }
  }

  /** Pending items that may start now, oldest first. */
  private next(): MediaWork[] {
    const now = performance.now();
    for (const [key, at] of this.retryAt) if (at <= now) this.retryAt.delete(key);
    const busy = this.inFlight.size + this.retryAt.size;
    return this.opts.archive.mediaWork(busy + this.concurrency, this.opts.groups?.()).filter((w) => !this.inFlight.has(w.key) && !this.retryAt.has(w.key));
  }

  private async diskAllows(item: MediaWork): Promise<boolean> {
    if (this.paused && performance.now() < this.nextDiskCheck) return false;
    const free = (await (this.opts.freeBytes ?? (() => this.store.freeBytes()))());
    const floor = this.opts.policy.diskFloorBytes;
    if (free - item.declaredSize < floor) {
      if (!this.paused) this.opts.onEvent?.({ type: 'disk-paused', freeBytes: free, floorBytes: floor });
      this.paused = true;
      this.nextDiskCheck = performance.now() + (this.opts.diskRecheckMs ?? MEDIA_DEFAULTS.diskRecheckMs);
      return false;
    }
    if (this.paused) {
      this.paused = false;
      this.opts.onEvent?.({ type: 'disk-resumed' });
    }
    return true;
  }

  private async download(item: MediaWork): Promise<void> {
    const temp = this.store.tempPath();
    let result: FetchResult;
    this.downloading++;
    try {
      result = await fetchToFile(item.url, {
        allowLoopback: this.opts.allowLoopback,
        declaredSize: item.declaredSize,
        maxBytes: this.opts.policy.maxBytes,
        tempPath: temp,
        timeoutMs: this.opts.timeoutMs ?? MEDIA_DEFAULTS.timeoutMs,
        signal: this.stop.signal,
        connections: this.connections,
        ...(this.opts.bytesPerSecond ? { throttle: (n: number) => this.throttle(n) } : {}),
        ...(this.opts.resolve ? { resolve: this.opts.resolve } : {}),
      }).finally(() => {
        this.downloading--;
        this.poke();
      });
      if (result.ok) await this.placer.place({ tempPath: temp, sha256: result.sha256 });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException)?.code ?? String(err);
      result = { ok: false, code: 'write-failed', detail: code, retry: false };
    }
    const archive = this.opts.archive;
    const avatar = item.rendition === 'avatar';
    if (result.ok) {
      archive.settleMedia(item.key, { state: 'stored', size: result.size, sha256: result.sha256, mime: sniffMime(result.head) });
      if (avatar) this.summary.avatars++;
      else {
        this.summary.stored++;
        this.summary.storedBytes += result.size;
      }
      return this.settled(item.key, 'stored');
    }
    if (result.code === 'cancelled') return; // stays pending for the next run
    const reason = formatReason(result);
    const tries = (this.tries.get(item.key) ?? 0) + 1;
    this.tries.set(item.key, tries);
    if (result.retry && tries < this.retry.tries) {
      archive.mediaAttempted(item.key, reason);
      const backoff = Math.min(this.retry.maxMs, this.retry.baseMs * 2 ** (tries - 1)) * (0.5 + (this.opts.random ?? Math.random)() / 2);
      this.retryAt.set(item.key, performance.now() + backoff);
      return;
    }
    const state = result.code === 'expired' ? 'expired' : result.code === 'too-large' ? 'too-large' : 'failed';
    archive.settleMedia(item.key, { state, error: reason });
    if (avatar) return this.settled(item.key, state);
    if (state === 'expired') this.summary.expired++;
    else if (state === 'too-large') this.summary.tooLarge++;
    else this.summary.failed++;
    this.settled(item.key, state);
  }

  private settled(key: string, state: MediaState): void {
    this.opts.onEvent?.({ type: 'settled', key, state });
  }

  /** The bandwidth cap: each chunk books its share of the link; a download waits when the link is booked ahead. */
  private async throttle(bytes: number): Promise<void> {
    const now = performance.now();
    // A short burst after an idle moment (a token bucket), so that late timers do not lower the rate.
    const start = Math.max(now - THROTTLE_BURST_MS, this.linkFreeAt);
    this.linkFreeAt = start + (bytes / this.opts.bytesPerSecond!) * 1000;
    const wait = this.linkFreeAt - now;
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  }

  /** Until a download ends, finish() or a cancel pokes, or it is time to look again (new media, a backoff over, the disk). */
  private sleep(): Promise<void> {
    if (this.poked) return Promise.resolve();
    const now = performance.now();
    let ms = this.opts.pollMs ?? MEDIA_DEFAULTS.pollMs;
    for (const at of this.retryAt.values()) ms = Math.min(ms, at - now);
    if (this.paused) ms = Math.min(ms, this.nextDiskCheck - now);
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(1, ms));
      const self = this;
      function done() {
        clearTimeout(timer);
        if (self.wake === done) self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }

  private poke(): void {
    this.poked = true;
    this.wake?.();
  }
}
