// How exports reach the disk: buffered streaming writes that respect backpressure, and all-or-nothing
// replacement (a temporary file or folder put into place when complete), so an interrupted export never leaves a
// truncated transcript that could pass for a complete one. Where an export may go is ./destination's decision;
// this file only writes there.

import { constants, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { link, lstat, mkdir, open, readdir, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Archive } from '../archive';
import { errorCode } from '../archive/errors';
import { checkDestination, type FileDestination, outputFailure } from './destination';
import { OutputError } from './output-error';

/** Strings are gathered up to this size before they go to the stream. */
const CHUNK = 64 * 1024;

export class TextWriter {
  private pending: string[] = [];
  private pendingLength = 0;
  /** UTF-8 bytes handed to the file so far; after close(), the file's size. */
  bytes = 0;

  /** A failed write (disk full, say) surfaces at the next write or at close(), never as an uncaught event. */
  private failure: Error | undefined;

  /** `owned`: close() ends the stream; standard output is only flushed. */
  private constructor(
    private readonly stream: Writable,
    private readonly owned: boolean,
  ) {
    stream.on('error', (err) => (this.failure ??= err));
  }

  /** A new file: never an existing one, nor through a link. */
  static create(path: string): TextWriter {
    return new TextWriter(createWriteStream(path, { flags: 'wx' }), true);
  }

  /** A pipe or device, written into as it is. */
  static async into(path: string): Promise<TextWriter> {
    const handle = await open(path, constants.O_WRONLY | constants.O_NOFOLLOW);
    return new TextWriter(createWriteStream(path, { fd: handle }), true);
  }

  static stdout(): TextWriter {
    return new TextWriter(process.stdout, false);
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
    if (!this.owned) {
      // Everything handed over has been written once this empty write calls back.
      await new Promise<void>((done, fail) => this.stream.write('', (err) => (err ? fail(err) : done())));
      return;
    }
    const finished = once(this.stream, 'finish');
    this.stream.end();
    await finished;
  }

  destroy(): void {
    if (this.owned) this.stream.destroy();
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

/** Where the single-file formats write: checked (./destination), then written all-or-nothing where a file is. */
export async function writeExportFile<T>(archive: Archive, out: string, force: boolean | undefined, fill: (w: TextWriter) => Promise<T>): Promise<T> {
  const dest = await checkDestination(out, { folder: false, archivePath: archive.path, ...(force !== undefined ? { force } : {}) });
  switch (dest.kind) {
    case 'stdout':
      try {
        const w = TextWriter.stdout();
        const result = await fill(w);
        await w.close();
        return result;
      } catch (err) {
        throw await outputFailure('standard output', err, true);
      }
    case 'stream':
      return writeInPlace(dest.path, fill);
    case 'file':
      return writeFileAtomically(dest, fill);
  }
}

async function writeInPlace<T>(path: string, fill: (w: TextWriter) => Promise<T>): Promise<T> {
  let w: TextWriter | undefined;
  try {
    w = await TextWriter.into(path);
    const result = await fill(w);
    await w.close();
    return result;
  } catch (err) {
    w?.destroy();
    throw await outputFailure(path, err, true);
  }
}

/**
 * Writes a temporary file beside `path`, then links it into place — which fails if a file appeared there
 * meanwhile, so a file the person never allowed us to replace is never replaced — or, with permission to
 * replace, renames it over the file.
 */
async function writeFileAtomically<T>(dest: FileDestination, fill: (w: TextWriter) => Promise<T>): Promise<T> {
  const { path } = dest;
  await removeLeftovers(path);
  const tmp = `${path}${PARTIAL}${process.pid}`;
  let w: TextWriter | undefined;
  try {
    w = TextWriter.create(tmp);
    const result = await fill(w);
    await w.close();
    if (dest.exists) {
      // Replaced only while it is still the regular file the person allowed us to replace.
      if (!(await lstat(path)).isFile()) throw new OutputError('exists', { path });
      await rename(tmp, path);
    } else {
      await putInPlace(tmp, path);
    }
    return result;
  } catch (err) {
    w?.destroy();
    await rm(tmp, { force: true }).catch(() => undefined);
    throw await outputFailure(path, err);
  }
}

async function putInPlace(tmp: string, path: string): Promise<void> {
  try {
    await link(tmp, path);
  } catch (err) {
    const code = errorCode(err);
    if (code === 'EEXIST') throw new OutputError('exists', { path }, { cause: err });
    // A file system without hard links (FAT, some network shares): check, then rename.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EMLINK' && code !== 'ENOSYS') throw err;
    const there = await lstat(path).then(() => true, () => false);
    if (there) throw new OutputError('exists', { path }, { cause: err });
    await rename(tmp, path);
    return;
  }
  await unlink(tmp);
}

/**
 * Builds the HTML export's folder beside `out` with `fill`, then puts it in place of `out` (new, empty, or an
 * earlier export: ./destination checked which).
 */
export async function writeExportFolder<T>(archive: Archive, out: string, fill: (dir: string) => Promise<T>): Promise<T> {
  const check = () => checkDestination(out, { folder: true, archivePath: archive.path });
  let dest = await check();
  // An earlier export put back in its place is judged again: it is replaced like any earlier export.
  if (await removeLeftovers(dest.path)) dest = await check();
  const { path } = dest;
  const tmp = `${path}${PARTIAL}${process.pid}`;
  try {
    // Not recursive: the parent was checked, and a recursive mkdir spins on file systems that refuse it (/proc).
    await mkdir(tmp);
    const result = await fill(tmp);
    const old = `${path}${OLD}${process.pid}`;
    if (dest.exists) await rename(path, old);
    await rename(tmp, path);
    if (dest.exists) await rm(old, { recursive: true, force: true });
    return result;
  } catch (err) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw await outputFailure(path, err);
  }
}

const PARTIAL = '.partial-';
const OLD = '.old-';

/**
 * What an export killed half-way left beside `path` (its process is gone): the unfinished temporary file or
 * folder is removed; an earlier export it had moved aside is put back if nothing took its place (then true).
 */
async function removeLeftovers(path: string): Promise<boolean> {
  let restored = false;
  const name = basename(path);
  const folder = dirname(path);
  const entries = await readdir(folder).catch(() => [] as string[]);
  for (const entry of entries) {
    if (!entry.startsWith(name)) continue;
    const m = /^\.(partial|old)-(\d+)$/u.exec(entry.slice(name.length));
    if (!m || alive(Number(m[2]))) continue;
    const leftover = join(folder, entry);
    if (m[1] === 'old' && !(await lstat(path).then(() => true, () => false))) restored = await rename(leftover, path).then(() => true, () => restored);
    else await rm(leftover, { recursive: true, force: true }).catch(() => undefined);
  }
  return restored;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errorCode(err) === 'EPERM';
  }
}
