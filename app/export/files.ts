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

  /** A failed write (disk full, say) surfaces at the next write or at close(), never as an uncaught event. */
  private failure: Error | undefined;

  private constructor(private readonly stream: WriteStream) {
    stream.on('error', (err) => (this.failure ??= err));
  }

  static create(path: string): TextWriter {
    return new TextWriter(createWriteStream(path));
  }

  /** Resolves at once unless the stream's buffer is full. */
  write(s: string): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    this.pending.push(s);
    this.pendingLength += s.length;
    return this.pendingLength >= CHUNK ? this.flush() : undefined;
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.failure) throw this.failure;
    const finished = once(this.stream, 'finish');
    this.stream.end();
    await finished;
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
    throw outputError(path, err);
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
  try {
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    const result = await fill(tmp);
    const old = `${out}.old-${process.pid}`;
    const existed = await exists(out);
    if (existed) await rename(out, old);
    await rename(tmp, out);
    if (existed) await rm(old, { recursive: true, force: true });
    return result;
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw outputError(out, err);
  }
}

/**
 * Where the export cannot be written, said so that a person knows what to do. The message speaks of "the
 * destination" (the desktop app shows it too); a caller that knows how the person named it — the CLI's --out —
 * words it with `naming`.
 */
export class OutputError extends Error {
  override name = 'OutputError';

  constructor(
    private readonly say: (destination: string) => string,
    options?: ErrorOptions,
  ) {
    super(say('the destination'), options);
  }

  /** The same message with the destination called as the caller knows it, e.g. "--out". */
  naming(destination: string): string {
    return this.say(destination);
  }
}

function outputError(path: string, err: unknown): unknown {
  const why: Record<string, (destination: string) => string> = {
    ENOENT: (d) => `its folder does not exist. Create the folder first, or change ${d}`,
    ENOTDIR: (d) => `part of the path is a file, not a folder. Change ${d}`,
    EISDIR: (d) => `it is a folder, and this format writes one file. Add a file name to ${d}`,
    EACCES: () => 'permission denied. Choose a folder you can write to',
    EPERM: () => 'permission denied. Choose a folder you can write to',
    EROFS: () => 'the disk is read-only. Choose another disk',
    ENOSPC: () => 'the disk is full. Free some disk space and export again',
  };
  const reason = why[errorCode(err) ?? ''];
  return reason ? new OutputError((d) => `Cannot write ${path}: ${reason(d)}. Nothing was left half-written.`, { cause: err }) : err;
}

async function checkReplaceable(out: string): Promise<void> {
  let entries: string[];
  try {
    if (!(await stat(out)).isDirectory()) throw new OutputError((d) => `${out} is a file; the HTML export needs a folder. Choose a new folder name for ${d}.`);
    entries = await readdir(out);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return;
    throw err;
  }
  if (entries.length === 0 || (await isEarlierExport(join(out, 'index.html')))) return;
  throw new OutputError((d) => `The folder ${out} already holds other files. Choose a new or empty folder for ${d} (an earlier HTML export there would be replaced).`);
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
