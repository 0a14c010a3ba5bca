// How exports reach the disk: buffered streaming writes that respect backpressure, and all-or-nothing
// replacement (a temporary file or folder renamed into place), so an interrupted export never leaves a truncated
// transcript that could pass for a complete one.

import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errorCode } from '../archive/errors';

/** Strings are gathered up to this size before they go to the stream. */
const CHUNK = 64 * 1024;

export class TextWriter {
  private pending: string[] = [];
  private pendingLength = 0;
  /** UTF-8 bytes handed to the file so far; after close(), the file's size. */
  bytes = 0;

  private constructor(private readonly stream: WriteStream) {}

  static create(path: string): TextWriter {
    return new TextWriter(createWriteStream(path));
  }

  /** Resolves at once unless the stream's buffer is full. */
  write(s: string): Promise<void> | undefined {
    this.pending.push(s);
    this.pendingLength += s.length;
    return this.pendingLength >= CHUNK ? this.flush() : undefined;
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }

  destroy(): void {
    this.stream.destroy();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingLength = 0;
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
}

/** Writes `path` through a temporary file beside it, renamed over it only when `fill` succeeded. */
export async function writeFileAtomically<T>(path: string, fill: (w: TextWriter) => Promise<T>): Promise<T> {
  const tmp = `${path}.partial-${process.pid}`;
  const w = TextWriter.create(tmp);
  try {
    const result = await fill(w);
    await w.close();
    await rename(tmp, path);
    return result;
  } catch (err) {
    w.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Marks an export folder as ours, so exporting again may replace it. */
export const GENERATOR = 'TIM Group Backup';

/**
 * Builds a folder beside `out` with `fill`, then puts it in place of `out`. An existing `out` is replaced only
 * when it is empty or an earlier export (its index.html names our generator): never someone's other files.
 */
export async function writeFolderAtomically<T>(out: string, fill: (dir: string) => Promise<T>): Promise<T> {
  await checkReplaceable(out);
  const tmp = `${out}.partial-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    const result = await fill(tmp);
    const old = `${out}.old-${process.pid}`;
    const existed = await exists(out);
    if (existed) await rename(out, old);
    await rename(tmp, out);
    if (existed) await rm(old, { recursive: true, force: true });
    return result;
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

export class OutputError extends Error {}

async function checkReplaceable(out: string): Promise<void> {
  let entries: string[];
  try {
    if (!(await stat(out)).isDirectory()) throw new OutputError(`${out} is a file; the HTML export needs a folder. Choose a new folder name for --out.`);
    entries = await readdir(out);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return;
    throw err;
  }
  if (entries.length === 0 || (await isEarlierExport(join(out, 'index.html')))) return;
  throw new OutputError(`The folder ${out} already holds other files. Choose a new or empty folder for --out (an earlier HTML export there would be replaced).`);
}

async function isEarlierExport(indexPath: string): Promise<boolean> {
  try {
    const f = await open(indexPath, 'r');
    try {
      const { buffer, bytesRead } = await f.read(Buffer.alloc(2048), 0, 2048, 0);
      return buffer.subarray(0, bytesRead).toString('utf8').includes(`<meta name="generator" content="${GENERATOR}">`);
    } finally {
      await f.close();
    }
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
