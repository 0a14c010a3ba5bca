// The media files behind the messages' URLs, served like Tencent's file storage: real bytes (a pure function of
// the element's UUID and rendition, or of a shared pooled content), exactly as many as the element declares;
// every answer signs its URLs afresh and a wrong or missing signature is 403; a file expires with its message
// (404 below the retention edge). Faults: slow headers, resets mid-body, 5xx, a body longer than declared,
// redirect chains, and a bandwidth limit shared by every download.

import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { deflateSync } from 'node:zlib';
import type { GroupMsg, MsgElem, RelayItem } from '../../app/im/wire';
import { MEDIA_HOST, poolContent } from './generate';
import { hashString, Rng } from './prng';
import type { SeqSpace } from './seq-space';

/** Per download (0..1 probabilities), applied after the signature and expiry checks. */
export interface MediaFaults {
  /** Headers come slowMs late. */
  pSlow?: number;
  slowMs?: number;
  /** Headers with the full Content-Length, half the body, then the connection is destroyed. */
  pReset?: number;
  /** 503 with a short HTML body. */
  p5xx?: number;
  /** The body is LONGER_BY bytes longer than the element declares (sent chunked, without Content-Length). */
  pLonger?: number;
  /** Every answer first redirects this many times (302) before the bytes come. */
  redirects?: number;
}

/** One media item as the server knows it: registered when an answer first carried its URL. */
export interface MediaTruth {
  /** `${uuid}:${rendition}`, as app/media/model.ts keys it. */
  key: string;
  /** The declared size: exactly the bytes served. */
  size: number;
  /** Which bytes: the key, or a pooled content shared across groups. */
  contentId: string;
  /** The sha256 (hex) of the bytes. */
  sha256(): string;
  /** The whole file in memory: for tests of small files. */
  bytes(): Buffer;
  /** Expired at Tencent now (its message is below the retention edge): the URL answers 404. */
  expired(): boolean;
}

export interface MediaCounters {
  requests: number;
  /** Body bytes sent. */
  bytes: number;
  /** HTTP status → answers. */
  statuses: Record<string, number>;
  /** Most downloads in flight at once. */
  maxInFlight: number;
}

export interface EmulatedMedia {
  /** Undefined until an answer carried the item's URL. */
  truth(key: string): MediaTruth | undefined;
  /** Every item any answer has carried. */
  all(): MediaTruth[];
  setFaults(f: MediaFaults): void;
  /** Faults for one item only (undefined: back to the general ones). */
  setFaultsFor(key: string, f: MediaFaults | undefined): void;
  /** Bytes per second over all downloads together; undefined = unlimited. */
  setBandwidth(bytesPerSecond: number | undefined): void;
  /** A URL on this server that redirects (302) to `target`, whatever it is: for the client's redirect checks. */
  redirectTo(target: string): string;
  /** A freshly signed URL of a registered item. */
  signedUrl(key: string): string;
  counters(): MediaCounters;
  /** Tag_Profile_IM_Image as portrait_get answers it: the emulator's avatar URLs on this server. */
  publicUrl(image: string): string;
  /** The PNG an avatar URL of this server serves (whether or not anyone has that avatar now). */
  avatarBytes(url: string): Buffer;
}

/** Where avatars live on the media host: `/avatar/<account>/<version>.png`. */
export const AVATAR_PATH = '/avatar/';

/**
 * A real PNG (16×16, two colours in a pattern) that is a pure function of the avatar's path: a browser shows it,
 * and a new version of someone's avatar is different bytes.
 */
export function avatarPng(path: string): Buffer {
  const rng = new Rng(hashString(path));
  const a = [rng.int(0, 255), rng.int(0, 255), rng.int(0, 255)];
  const b = [255 - a[0]!, 255 - a[1]!, 255 - a[2]!];
  const side = 16;
  const rows: Buffer[] = [];
  for (let y = 0; y < side; y++) {
    const row = Buffer.alloc(1 + side * 3);
    for (let x = 0; x < side; x++) row.set((x >> 2) % 2 === (y >> 2) % 2 ? a : b, 1 + x * 3);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(Buffer.concat(rows))), pngChunk('IEND', Buffer.alloc(0))]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** The body a pLonger answer adds beyond the declared size. */
export const LONGER_BY = 256 * 1024;
const BLOCK = 64 * 1024;
const DEFAULT_SLOW_MS = 4000;
const BURST_MS = 20;
const MAGIC: Readonly<Record<string, Buffer>> = {
  image: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]),
  sound: Buffer.from('#!SILK_V3'),
  video: Buffer.from([0x00, 0x00, 0x00, 0x18, 0x66, 0x74, 0x79, 0x70, 0x6d, 0x70, 0x34, 0x32]),
  pdf: Buffer.from('%PDF-1.7\n'),
  zip: Buffer.from([0x50, 0x4b, 0x03, 0x04]),
};

interface Entry {
  truth: MediaTruth;
  path: string;
}

/** The media side of one emulator: `sign` rewrites an answer's URLs, `serve` answers GETs under /media, /hop, /redirect. */
export class MediaHost implements EmulatedMedia {
  /** The server's base URL, set once it listens. */
  base = MEDIA_HOST;
  private readonly secret = randomBytes(32);
  private readonly byPath = new Map<string, Entry>();
  private readonly byKey = new Map<string, Entry>();
  private readonly hops = new Map<string, string>();
  private serial = 0;
  private faults: MediaFaults = {};
  private readonly faultsFor = new Map<string, MediaFaults>();
  private bandwidth: number | undefined;
  /** performance-clock ms at which the shared link is free again (bandwidth limit). */
  private linkFreeAt = 0;
  private inFlight = 0;
  private stats: MediaCounters = { requests: 0, bytes: 0, statuses: {}, maxInFlight: 0 };

  /** Whether anyone's profile has this (public) avatar URL now: set by the server, which knows the apps. */
  avatarInUse: (url: string) => boolean = () => false;

  constructor(private readonly sleep: (ms: number) => Promise<void>) {}

  /** The message with every media URL signed for this answer (the message is fresh from the generator: changed in place). */
  sign(msg: GroupMsg, space: SeqSpace, pool: number | undefined): GroupMsg {
    const seq = msg.MsgSeq;
    const register = (url: unknown, uuid: unknown, rendition: string, size: unknown): string | undefined => {
      if (typeof url !== 'string' || !url.startsWith(MEDIA_HOST) || typeof uuid !== 'string') return undefined;
      const path = url.slice(MEDIA_HOST.length);
      if (!this.byPath.has(path)) {
        const key = `${uuid}:${rendition}`;
        const contentId = pool ? poolContent(uuid, rendition, pool).id : key;
        const entry: Entry = { path, truth: this.truthOf(key, contentId, typeof size === 'number' ? size : 0, () => space.state(seq) === 'expired') };
        this.byPath.set(path, entry);
        this.byKey.set(key, entry);
      }
      return this.signPath(path);
    };
    const visit = (body: MsgElem[]) => {
      for (const el of body) {
        const c = el.MsgContent as Record<string, unknown>;
        switch (el.MsgType) {
          case 'TIMImageElem':
            for (const info of (c.ImageInfoArray as Record<string, unknown>[] | undefined) ?? []) {
              const r = ({ 1: 'original', 2: 'large', 3: 'thumbnail' } as Record<number, string>)[info.Type as number];
              const signed = r && register(info.URL, c.UUID, r, info.Size);
              if (signed) info.URL = signed;
            }
            break;
          case 'TIMFileElem':
          case 'TIMSoundElem': {
            const signed = register(c.Url, c.UUID, el.MsgType === 'TIMFileElem' ? 'file' : 'sound', el.MsgType === 'TIMFileElem' ? c.FileSize : c.Size);
            if (signed) c.Url = signed;
            break;
          }
          case 'TIMVideoFileElem': {
            const video = register(c.VideoUrl, c.VideoUUID, 'video', c.VideoSize);
            if (video) c.VideoUrl = video;
            const thumb = register(c.ThumbUrl, c.ThumbUUID, 'video-thumbnail', c.ThumbSize);
            if (thumb) c.ThumbUrl = thumb;
            break;
          }
          case 'TIMRelayElem':
            for (const item of (c.MsgList as RelayItem[] | undefined) ?? []) visit(item.MsgBody);
            break;
        }
      }
    };
    visit(msg.MsgBody);
    return msg;
  }

  /** Answers a GET under /media, /hop or /redirect; false for any other path (not ours). */
  handles(path: string): boolean {
    return path.startsWith('/media/') || path.startsWith('/hop/') || path === '/redirect' || path.startsWith(AVATAR_PATH);
  }

  async serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    this.stats.requests++;
    if (req.method !== 'GET') return this.end(res, 405, 'MethodNotAllowed');
    if (url.pathname === '/redirect') return this.redirect(res, url.searchParams.get('to') ?? '');
    if (url.pathname.startsWith(AVATAR_PATH)) return this.avatar(res, url);
    const hop = /^\/hop\/(\d+)\/([0-9a-f]+)$/.exec(url.pathname);
    if (hop) {
      const path = this.hops.get(hop[2]!);
      if (path === undefined) return this.end(res, 404, 'NoSuchKey');
      const left = Number(hop[1]);
      if (left > 0) return this.redirect(res, `${this.base}/hop/${left - 1}/${hop[2]}`);
      return this.body(res, this.byPath.get(path)!, this.faultsOf(this.byPath.get(path)!));
    }
    const path = url.pathname.slice('/media'.length);
    if (!this.signatureOk(path, url.searchParams)) return this.end(res, 403, 'AccessDenied');
    const entry = this.byPath.get(path);
    if (!entry || entry.truth.expired()) return this.end(res, 404, 'NoSuchKey');
    const faults = this.faultsOf(entry);
    if (faults.redirects) {
      const token = randomBytes(8).toString('hex');
      this.hops.set(token, path);
      return this.redirect(res, `${this.base}/hop/${faults.redirects - 1}/${token}`);
    }
    return this.body(res, entry, faults);
  }

  truth(key: string): MediaTruth | undefined {
    return this.byKey.get(key)?.truth;
  }

  all(): MediaTruth[] {
    return [...this.byKey.values()].map((e) => e.truth);
  }

  setFaults(f: MediaFaults): void {
    this.faults = { ...f };
  }

  setFaultsFor(key: string, f: MediaFaults | undefined): void {
    if (f) this.faultsFor.set(key, { ...f });
    else this.faultsFor.delete(key);
  }

  setBandwidth(bytesPerSecond: number | undefined): void {
    this.bandwidth = bytesPerSecond;
  }

  redirectTo(target: string): string {
    return `${this.base}/redirect?to=${encodeURIComponent(target)}`;
  }

  signedUrl(key: string): string {
    const entry = this.byKey.get(key);
    if (!entry) throw new Error(`no answer has carried media ${key} yet`);
    return this.signPath(entry.path);
  }

  counters(): MediaCounters {
    return structuredClone(this.stats);
  }

  publicUrl(image: string): string {
    return image.startsWith(`${MEDIA_HOST}${AVATAR_PATH}`) ? `${this.base}${image.slice(MEDIA_HOST.length)}` : image;
  }

  avatarBytes(url: string): Buffer {
    return avatarPng(new URL(url).pathname);
  }

  /**
   * An avatar is an app's own picture, not signed: its URL is served while someone's profile has it; a replaced
   * avatar's old URL, any other path and any query string answer 404 (stricter than a CDN that kept old files).
   */
  private avatar(res: ServerResponse, url: URL): void {
    if (url.search !== '' || !this.avatarInUse(`${this.base}${url.pathname}`)) return this.end(res, 404, 'NoSuchKey');
    const bytes = avatarPng(url.pathname);
    this.count(200);
    this.stats.bytes += bytes.length;
    res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': bytes.length });
    res.end(bytes);
  }

  private signPath(path: string): string {
    const t = Math.floor(Date.now() / 1000);
    const n = ++this.serial;
    return `${this.base}/media${path}?t=${t}&n=${n}&sign=${this.signature(path, String(t), String(n))}`;
  }

  private signature(path: string, t: string, n: string): string {
    return createHmac('sha256', this.secret).update(`${path}\n${t}\n${n}`).digest('hex').slice(0, 32);
  }

  /** Exactly t, n and sign, each once, and the signature of this path with them. */
  private signatureOk(path: string, q: URLSearchParams): boolean {
    const names = [...q.keys()];
    if (names.length !== 3 || !['t', 'n', 'sign'].every((k) => q.getAll(k).length === 1)) return false;
    const given = Buffer.from(q.get('sign')!);
    const wanted = Buffer.from(this.signature(path, q.get('t')!, q.get('n')!));
    return given.length === wanted.length && given.equals(wanted);
  }

  private faultsOf(entry: Entry): MediaFaults {
    return this.faultsFor.get(entry.truth.key) ?? this.faults;
  }

  private redirect(res: ServerResponse, location: string): void {
    this.count(302);
    res.writeHead(302, { Location: location, 'Content-Length': 0 });
    res.end();
  }

  private end(res: ServerResponse, status: number, code: string): void {
    this.count(status);
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code></Error>\n`;
    res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

  private async body(res: ServerResponse, entry: Entry, faults: MediaFaults): Promise<void> {
    if (Math.random() < (faults.pSlow ?? 0)) await this.sleep(faults.slowMs ?? DEFAULT_SLOW_MS);
    if (res.destroyed) return;
    if (Math.random() < (faults.p5xx ?? 0)) return this.end(res, 503, 'ServiceUnavailable');
    const reset = Math.random() < (faults.pReset ?? 0);
    const longer = Math.random() < (faults.pLonger ?? 0);
    const size = entry.truth.size + (longer ? LONGER_BY : 0);
    this.count(200);
    // A longer body does not announce itself: the client must count what arrives (chunked, no Content-Length).
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', ...(longer ? {} : { 'Content-Length': size }) });
    const stopAt = reset ? Math.floor(entry.truth.size / 2) : size;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, ++this.inFlight);
    try {
      let sent = 0;
      for (const block of contentBlocks(entry.truth.contentId, size)) {
        if (res.destroyed) return;
        const chunk = sent + block.length > stopAt ? block.subarray(0, stopAt - sent) : block;
        await this.pace(chunk.length);
        if (chunk.length > 0 && !res.write(chunk)) await drained(res);
        sent += chunk.length;
        this.stats.bytes += chunk.length;
        if (sent >= stopAt) break;
      }
      if (reset) res.destroy();
      else res.end();
    } finally {
      this.inFlight--;
    }
  }

  /** Waits until the shared link has carried the bytes before these (the bandwidth limit). */
  private async pace(bytes: number): Promise<void> {
    if (!this.bandwidth) return;
    const now = performance.now();
    // A link idle for a moment may send a short burst (BURST_MS worth), as a token bucket does: otherwise every
    // timer that wakes a little late would lower the rate below the limit.
    const start = Math.max(now - BURST_MS, this.linkFreeAt);
    this.linkFreeAt = start + (bytes / this.bandwidth) * 1000;
    if (this.linkFreeAt - now > 1) await this.sleep(this.linkFreeAt - now);
  }

  private count(status: number): void {
    this.stats.statuses[status] = (this.stats.statuses[status] ?? 0) + 1;
  }

  private truthOf(key: string, contentId: string, size: number, expired: () => boolean): MediaTruth {
    let sha: string | undefined;
    return {
      key,
      size,
      contentId,
      expired,
      sha256: () => {
        if (sha === undefined) {
          const h = createHash('sha256');
          for (const b of contentBlocks(contentId, size)) h.update(b);
          sha = h.digest('hex');
        }
        return sha;
      },
      bytes: () => Buffer.concat([...contentBlocks(contentId, size)]),
    };
  }
}

/**
 * The bytes of a content, block by block: a 64 KiB pseudo-random block from the content's ID, numbered in its
 * first bytes (so no two blocks are alike), with the file type's magic bytes at the start. Fast enough to serve
 * hundreds of megabytes; only one block is ever in memory.
 */
export function* contentBlocks(contentId: string, size: number): Generator<Buffer> {
  const base = baseBlock(contentId);
  for (let offset = 0, i = 0; offset < size; offset += BLOCK, i++) {
    const block = Buffer.from(base);
    if (i === 0) magicOf(contentId).copy(block, 0);
    else block.writeUInt32LE(i, 0);
    yield size - offset < BLOCK ? block.subarray(0, size - offset) : block;
  }
}

function baseBlock(contentId: string): Buffer {
  const rng = new Rng(hashString(contentId));
  const block = Buffer.alloc(BLOCK);
  for (let i = 0; i < BLOCK; i += 4) block.writeUInt32LE(Math.floor(rng.next() * 4294967296), i);
  return block;
}

/** What a rendition's file starts with, so that the client's type sniffing has something real to read. */
function magicOf(contentId: string): Buffer {
  // A key is `uuid:rendition`, a pooled content `pool/rendition/index`.
  const rendition = contentId.startsWith('pool/') ? contentId.split('/')[1] : contentId.slice(contentId.lastIndexOf(':') + 1);
  if (rendition === 'sound') return MAGIC.sound!;
  if (rendition === 'video') return MAGIC.video!;
  if (rendition === 'file') return hashString(contentId) % 2 ? MAGIC.pdf! : MAGIC.zip!;
  return MAGIC.image!;
}

/** Until the response can take more, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}
