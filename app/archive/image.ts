// The database image sql.js works on, in memory.
//
// sql.js keeps its file in an Emscripten MEMFS buffer that grows by 12.5% at a time, each step allocating a new
// buffer and copying the whole file: a growing archive copies itself about nine times over, and every copy
// touches fresh memory. So we hand sql.js an image with free room after the database. SQLite takes the
// database size from the header (valid in every file a SQLite since 3.7.0 wrote), so the zero bytes after it
// are just file space it writes new pages into; the room is never touched until used, so it costs no memory.
//
// sql.js adopts a Node Buffer without copying it, so until the database outgrows the room, SQLite's committed
// pages land in our buffer. A checkpoint then copies the database from it into one reused buffer instead of
// db.export(), which allocates a new file-sized buffer every time and copies it page by page. Whether SQLite
// still writes into our buffer is checked on every checkpoint, by committing a no-op and watching the header's
// change counter move; if it does not, checkpoints fall back to export().

import { constants } from 'node:buffer';
import { open } from 'node:fs/promises';
import type { Database } from 'sql.js';
import { headerLength } from './verify';

/** Free room given to a writer's image; beyond it, MEMFS's own growth takes over. */
export const HEADROOM = 1024 ** 3;

const CHANGE_COUNTER = 24;

/**
 * The file's bytes (`image`) and what to give sql.js (`buffer`): the image followed by `headroom` zero bytes
 * when the header vouches for the database's length, else the image alone.
 */
export async function readImage(path: string, headroom: number): Promise<{ image: Buffer; buffer: Buffer }> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const buffer = roomy(size, headroom);
    for (let at = 0; at < size; ) {
      const { bytesRead } = await fh.read(buffer, at, Math.min(size - at, 1 << 26), at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    const image = buffer.subarray(0, size);
    return { image, buffer: headerLength(image) === size ? buffer : image };
  } finally {
    await fh.close();
  }
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
  private snapshot: Buffer | undefined;

  constructor(private live: Buffer | undefined) {}

  /**
   * The committed database file, copied into a buffer reused across checkpoints; undefined once SQLite no longer
   * writes into the live buffer (use db.export() then). Must not be called inside a transaction.
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
      this.snapshot = undefined;
      return undefined;
    }
    if (!this.snapshot || this.snapshot.length < size) this.snapshot = Buffer.allocUnsafeSlow(size + (size >>> 3));
    live.copy(this.snapshot, 0, 0, size);
    return this.snapshot.subarray(0, size);
  }

  /** Lets the buffers go as soon as the archive is closed (they are as large as the archive). */
  release(): void {
    this.live = undefined;
    this.snapshot = undefined;
  }
}
