// The database image sql.js works on, in memory.
//
// sql.js keeps its file in an Emscripten MEMFS buffer that grows by 12.5% at a time, each step allocating a new
// buffer and copying the whole file: a growing archive copies itself about nine times over, and every copy
// touches fresh memory. So we hand sql.js an image with free room after the database. SQLite takes the
// database size from the header (valid in every file a SQLite since 3.7.0 wrote), so the zero bytes after it
// are just file space it writes new pages into; the room is never touched until used, so it costs no memory.
//
// sql.js adopts a Node Buffer without copying it, so until the database outgrows the room, SQLite's committed
// pages land in our buffer. A checkpoint then reads the database straight from it (copying only the pages it
// writes, see shadow.ts) instead of db.export(), which allocates a new file-sized buffer every time and copies
// it page by page. Whether SQLite still writes into our buffer is checked on every checkpoint, by committing a
// no-op and watching the header's change counter move; if it does not, checkpoints fall back to export().

import { constants } from 'node:buffer';
import { type FileHandle, open } from 'node:fs/promises';
import type { Database } from 'sql.js';
import { eachInParallel } from './parallel';
import { crcsFor, fillPageCrcs, type PageContent } from './pages';
import { headerLength, validPageSize } from './verify';

/** Free room given to a writer's image; beyond it, MEMFS's own growth takes over. */
export const HEADROOM = 1024 ** 3;

const CHANGE_COUNTER = 24;

/** Reads in flight at once: page faults of the fresh buffer are the cost, and they then happen on every core. */
const READERS = 3;
const READ_CHUNK = 16 << 20;
const READ_ATTEMPTS = 3;
/** Enough of the file for the page size. */
const HEADER_PEEK = 100;

export interface ReadImage {
  /** The file's bytes. */
  image: Buffer;
  /** What to give sql.js: the image followed by the headroom when the header vouches for the database's length, else the image alone. */
  buffer: Buffer;
  /** The page checksums (pages.ts), unless the header declares no valid page size that divides the file. */
  content: PageContent | undefined;
}

/**
 * Reads the file with `headroom` zero bytes after it, computing the page checksums as the chunks arrive: the
 * first pass over freshly read memory is slow on some machines, and this way it overlaps the reads still in
 * flight.
 *
 * A reader without the lock can be reading a file that a writer's checkpoints reuse: the previous checkpoint
 * becomes the copy the next one patches (shadow.ts). A file modified during the read is read again.
 */
export async function readImage(path: string, headroom: number): Promise<ReadImage> {
  for (let attempt = 1; ; attempt++) {
    const fh = await open(path, 'r');
    try {
      const before = await fh.stat();
      const size = before.size;
      const buffer = roomy(size, headroom);
      const header = Buffer.alloc(HEADER_PEEK);
      await fh.read(header, 0, HEADER_PEEK, 0);
      const pageSize = validPageSize(header);
      const content = pageSize !== undefined && size % pageSize === 0 ? { pageSize, crcs: crcsFor(size, pageSize) } : undefined;
      await readConcurrently(fh, buffer, size, (from, to) => content && fillPageCrcs(content.crcs, buffer, content.pageSize, from, to));
      const after = await fh.stat();
      if ((after.size === size && after.mtimeMs === before.mtimeMs) || attempt === READ_ATTEMPTS) {
        const image = buffer.subarray(0, size);
        return {
          image,
          buffer: headerLength(image) === image.length ? buffer : image,
          content: content && validPageSize(image) === content.pageSize ? content : undefined,
        };
      }
    } finally {
      await fh.close();
    }
  }
}

/**
 * Fills buffer[0, size) from the file, READERS chunks at a time, calling `chunkRead` for each chunk read;
 * stops early where the file is shorter.
 */
async function readConcurrently(fh: FileHandle, buffer: Buffer, size: number, chunkRead: (from: number, to: number) => void): Promise<void> {
  const chunks = Array.from({ length: Math.ceil(size / READ_CHUNK) }, (_, i) => i * READ_CHUNK);
  await eachInParallel(chunks, READERS, async (at) => {
    const end = Math.min(size, at + READ_CHUNK);
    for (let p = at; p < end; ) {
      const { bytesRead } = await fh.read(buffer, p, end - p, p);
      if (bytesRead === 0) return;
      p += bytesRead;
    }
    chunkRead(at, end);
  });
}

/** `image` copied into a buffer with `headroom` free bytes after it (see readImage). */
export function withHeadroom(image: Uint8Array, headroom: number): Buffer {
  const buffer = roomy(image.length, headroom);
  buffer.set(image);
  return headerLength(image) === image.length ? buffer : buffer.subarray(0, image.length);
}

/**
 * A zeroed buffer of `size` bytes plus as much of `headroom` as the system grants: the room is only reserved
 * (untouched pages), but a system that commits memory eagerly may refuse it, and then we go without.
 */
function roomy(size: number, headroom: number): Buffer {
  try {
    return Buffer.alloc(Math.min(size + headroom, constants.MAX_LENGTH));
  } catch (err) {
    if (!(err instanceof RangeError) || headroom === 0) throw err;
    return Buffer.alloc(size);
  }
}

/** The buffer a writer's database was opened from, while SQLite still writes into it. */
export class LiveImage {
  constructor(private live: Buffer | undefined) {}

  /**
   * The committed database file, in the live buffer itself: valid only until the next write to the database, so
   * use it synchronously. Undefined once SQLite no longer writes into the live buffer (use db.export() then).
   * Must not be called inside a transaction.
   */
  capture(db: Database): Uint8Array | undefined {
    const live = this.live;
    if (!live) return undefined;
    const before = live.readUInt32BE(CHANGE_COUNTER);
    // Setting user_version to itself is a real commit: SQLite rewrites page 1 with the counter incremented.
    const version = Number(db.exec('PRAGMA user_version')[0]!.values[0]![0]);
    db.exec(`PRAGMA user_version = ${version}`);
    const size = headerLength(live);
    if (live.readUInt32BE(CHANGE_COUNTER) !== ((before + 1) >>> 0) || size === undefined || size > live.length) {
      this.live = undefined;
      return undefined;
    }
    return live.subarray(0, size);
  }

  /** Lets the buffer go as soon as the archive is closed (it is as large as the archive). */
  release(): void {
    this.live = undefined;
  }
}
