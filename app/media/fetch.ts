// One download: GET a media URL (following at most MAX_REDIRECTS redirects, each checked like the first URL) and
// stream the body into a temporary file, hashing it on the way and cutting it off as soon as it exceeds what the
// element declares or the policy's maximum. Memory stays at a few network chunks whatever the file's size. The
// temporary file is written and closed, not yet flushed: the store flushes it before moving it into place
// (./store.ts), after the connection is free for the next download.

import { createHash } from 'node:crypto';
import { type FileHandle, open, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { checkedAddress, RefusedUrl } from './address';
import type { MediaConnections } from './connections';
import type { MediaErrorCode } from './reasons';
import { SNIFF_BYTES } from './sniff';

export const MAX_REDIRECTS = 5;

export interface FetchOptions {
  /** Loopback addresses allowed (the API endpoint itself is on loopback). */
  allowLoopback: boolean;
  /** The size the element declares (0: unknown) and the policy's maximum. */
  declaredSize: number;
  maxBytes: number;
  tempPath: string;
  /** No byte for this long: the download is given up (and retried). */
  timeoutMs: number;
  signal: AbortSignal;
  /** Waits as long as the bandwidth cap needs for `bytes` more. */
  throttle?: (bytes: number) => Promise<void>;
  /** Kept-alive connections, direct or through the user's proxy. */
  connections: MediaConnections;
  /** Name resolution, for tests; default the system's. */
  resolve?: Parameters<typeof checkedAddress>[2];
}

export type FetchResult =
  | { ok: true; size: number; sha256: string; head: Buffer }
  /** `retry`: worth trying again (network, timeout, 5xx); otherwise final for this run. */
  | { ok: false; code: MediaErrorCode; detail: string; retry: boolean };

export async function fetchToFile(url: string, opts: FetchOptions): Promise<FetchResult> {
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    return refused('refused-url', 'not a valid URL');
  }
  for (let redirects = 0; ; redirects++) {
    let res: IncomingMessage;
    try {
      res = await get(current, opts);
    } catch (err) {
      if (err instanceof RefusedUrl) return refused(err.code, err.detail);
      return networkFailure(err, opts.signal);
    }
    const status = res.statusCode ?? 0;
    if ([301, 302, 303, 307, 308].includes(status)) {
      res.destroy();
      const location = res.headers.location;
      if (!location) return { ok: false, code: 'bad-redirect', detail: `HTTP ${status} without a Location`, retry: false };
      if (redirects + 1 > MAX_REDIRECTS) return { ok: false, code: 'too-many-redirects', detail: String(MAX_REDIRECTS), retry: false };
      try {
        current = new URL(location, current);
      } catch {
        return { ok: false, code: 'bad-redirect', detail: 'the redirect does not lead to a valid URL', retry: false };
      }
      continue;
    }
    if (status === 403 || status === 404 || status === 410) {
      res.destroy();
      return { ok: false, code: 'expired', detail: `HTTP ${status}`, retry: false };
    }
    if (status !== 200) {
      res.destroy();
      return { ok: false, code: 'http-status', detail: `HTTP ${status}`, retry: status >= 500 || status === 408 || status === 429 };
    }
    return receive(res, opts);
  }
}

function refused(code: MediaErrorCode, detail: string): FetchResult {
  return { ok: false, code, detail, retry: false };
}

function get(url: URL, opts: FetchOptions): Promise<IncomingMessage> {
  return checkedAddress(url, opts.allowLoopback, opts.resolve).then(
    (to) =>
      new Promise<IncomingMessage>((resolve, reject) => {
        const req = opts.connections.get(url, to, { signal: opts.signal, headers: { 'Accept-Encoding': 'identity' } });
        req.setTimeout(opts.timeoutMs, () => req.destroy(new TimeoutError()));
        req.once('response', resolve);
        req.once('error', reject);
      }),
  );
}

async function receive(res: IncomingMessage, opts: FetchOptions): Promise<FetchResult> {
  const limit = Math.min(opts.declaredSize > 0 ? opts.declaredSize : Infinity, opts.maxBytes);
  const announced = Number(res.headers['content-length']);
  // Over a declared size within the maximum, the server sends more than the message says; otherwise the file is
  // simply larger than the policy keeps.
  const over: FetchResult =
    opts.declaredSize > 0 && opts.declaredSize <= opts.maxBytes
      ? { ok: false, code: 'longer-than-declared', detail: String(opts.declaredSize), retry: false }
      : { ok: false, code: 'too-large', detail: String(opts.maxBytes), retry: false };
  if (Number.isFinite(announced) && announced > limit) {
    res.destroy();
    return over;
  }
  const file = await open(opts.tempPath, 'wx');
  const hash = createHash('sha256');
  let head = Buffer.alloc(0);
  let size = 0;
  let result: FetchResult | undefined;
  // Network chunks are small (16 KiB on loopback): written a WRITE_BYTES batch at a time, one write and one
  // round trip to the thread pool per batch instead of per chunk, which is most of a download's CPU time.
  let batch: Buffer[] = [];
  let batchBytes = 0;
  const flush = async () => {
    await writeAll(file, batch, batchBytes);
    batch = [];
    batchBytes = 0;
  };
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        result = over;
        break;
      }
      if (head.length < SNIFF_BYTES) head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
      hash.update(chunk);
      batch.push(chunk);
      batchBytes += chunk.length;
      if (batchBytes >= WRITE_BYTES) await flush();
      if (Math.floor(size / GC_EVERY_BYTES) !== Math.floor((size - chunk.length) / GC_EVERY_BYTES)) collectYoung?.();
      if (opts.throttle) await opts.throttle(chunk.length);
    }
    if (!result && opts.declaredSize > 0 && size < opts.declaredSize) {
      result = { ok: false, code: 'shorter-than-declared', detail: `${size} of ${opts.declaredSize}`, retry: true };
    }
    if (!result) await flush();
  } catch (err) {
    result = networkFailure(err, opts.signal);
  } finally {
    res.destroy();
    await file.close();
    if (result) await rm(opts.tempPath, { force: true });
  }
  return result ?? { ok: true, size, sha256: hash.digest('hex'), head };
}

/** A download's bytes held before they are written: small beside the memory a download may use, large beside a chunk. */
const WRITE_BYTES = 256 * 1024;

/** Every byte of `chunks`, also after a short write (the next write then says why, e.g. ENOSPC). */
async function writeAll(file: FileHandle, chunks: Buffer[], bytes: number): Promise<void> {
  if (bytes === 0) return;
  let { bytesWritten } = await file.writev(chunks);
  if (bytesWritten === bytes) return;
  const rest = Buffer.concat(chunks);
  while (bytesWritten < bytes) bytesWritten += (await file.write(rest, bytesWritten, bytes - bytesWritten)).bytesWritten;
}

/**
 * Node frees a socket's read buffers only when V8 collects garbage, and V8 counts such outside-the-heap memory
 * towards a collection in 64 MB steps: one long download would keep up to 64 MB of spent buffers alive. A young-
 * generation collection (a millisecond) every GC_EVERY_BYTES keeps a download's memory flat whatever its size.
 * Undefined where V8 does not allow it; then only the peak is higher.
 */
const GC_EVERY_BYTES = 16 * 1024 * 1024;
const collectYoung: (() => void) | undefined = (() => {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (o: { type: 'minor' }) => void;
    return () => gc({ type: 'minor' });
  } catch {
    return undefined;
  }
})();

class TimeoutError extends Error {
  constructor() {
    super('no data');
  }
}

function networkFailure(err: unknown, signal: AbortSignal): FetchResult {
  if (signal.aborted) return { ok: false, code: 'cancelled', detail: '', retry: false };
  if (err instanceof TimeoutError) return { ok: false, code: 'timeout', detail: '', retry: true };
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOSPC' || e?.code === 'EDQUOT' || e?.code === 'EACCES' || e?.code === 'EROFS' || e?.code === 'EPERM') {
    return { ok: false, code: 'write-failed', detail: e.code, retry: false };
  }
  return { ok: false, code: 'network', detail: e?.code ?? (err instanceof Error ? err.message : String(err)), retry: true };
}
