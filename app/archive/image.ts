// The database image sql.js works on, in memory. sql.js keeps its file in an Emscripten MEMFS buffer that grows
// by 12.5% at a time, each step allocating a new buffer and copying the whole file: a growing archive copies
// itself about nine times over, and every copy touches fresh memory. Handing sql.js an image with free room
// after the database avoids that. SQLite takes the database size from the header (valid in every file a SQLite
// since 3.7.0 wrote), so the zero bytes after it are just file space it writes new pages into; export() copies
// only the database's pages. The room is allocated but never touched until used, so it costs no memory.

import { constants } from 'node:buffer';
import { open } from 'node:fs/promises';
import { headerLength } from './verify';

/** Free room given to a writer's image; beyond it, MEMFS's own growth takes over. */
export const HEADROOM = 1024 ** 3;

/**
 * The file's bytes (`image`) and what to give sql.js (`buffer`): the image followed by `headroom` zero bytes
 * when the header vouches for the database's length, else the image alone. A Node Buffer, because sql.js adopts
 * a Buffer without copying it (it calls slice(), which for a Buffer is a view).
 */
export async function readImage(path: string, headroom: number): Promise<{ image: Buffer; buffer: Buffer }> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const buffer = Buffer.alloc(Math.min(size + headroom, constants.MAX_LENGTH));
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
  const buffer = Buffer.alloc(Math.min(image.length + headroom, constants.MAX_LENGTH));
  buffer.set(image);
  return headerLength(image) === image.length ? buffer : buffer.subarray(0, image.length);
}
