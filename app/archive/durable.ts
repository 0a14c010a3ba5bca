// The file operations behind a checkpoint, and the rules that keep the archive path naming a whole checkpoint
// whatever happens (a crash, a power cut, a full disk): new bytes only ever go to another file, which is flushed
// to the disk before an atomic rename puts it in place, and the folder is flushed so the rename itself is durable.
// The protocol itself (which file is patched, which name swaps with which) is in ./shadow.ts.

import { constants } from 'node:fs';
import { copyFile, link, open, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type ArchiveError, archiveErrors, errorCode } from './errors';

/** A file opened for positional writes. */
export interface WritableFile {
  /** Writes all of `bytes` at `position`. */
  write(bytes: Uint8Array, position: number): Promise<void>;
  truncate(length: number): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Every file operation a checkpoint performs; tests substitute failing or slow ones (a full disk, a file system
 * without hard links or a crash in mid-step cannot be staged portably).
 */
export interface FileOps {
  /** Opens for positional writes: 'w' creates or empties the file, 'r+' keeps what it holds. */
  open(path: string, flags: 'w' | 'r+'): Promise<WritableFile>;
  /** Replaces `to` with a copy of `from`: a clone where the file system offers one (APFS, btrfs, XFS), which is instant. */
  copy(from: string, to: string): Promise<void>;
  /** A second name for a file; fails on file systems without hard links (FAT, exFAT). */
  link(existing: string, newPath: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; no error if it is already gone. */
  remove(path: string): Promise<void>;
  /** Writes a small file, without flushing it to the disk. */
  writeFile(path: string, text: string): Promise<void>;
  syncFolder(path: string): Promise<void>;
  readonly platform: NodeJS.Platform;
  /** Pause between rename attempts on Windows. */
  sleep(ms: number): Promise<void>;
}

export const nodeFileOps: FileOps = {
  async open(path, flags) {
    const fh = await open(path, flags, 0o644);
    return {
      async write(bytes, position) {
        for (let done = 0; done < bytes.length; ) done += (await fh.write(bytes, done, bytes.length - done, position + done)).bytesWritten;
      },
      truncate: (length) => fh.truncate(length),
      sync: () => fh.sync(),
      close: () => fh.close(),
    };
  },
  copy: (from, to) => copyFile(from, to, constants.COPYFILE_FICLONE),
  link,
  rename,
  remove: (path) => rm(path, { force: true }),
  writeFile: (path, text) => writeFile(path, text, { mode: 0o644 }),
  async syncFolder(path) {
    // Windows cannot open a folder as a file; NTFS journals the rename itself.
    if (process.platform === 'win32') return;
    const fh = await open(path, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
  platform: process.platform,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Antivirus and indexers briefly hold files open on Windows, which makes a rename fail with these. */
const WINDOWS_TRANSIENT = new Set(['EPERM', 'EBUSY', 'EACCES']);
const RENAME_ATTEMPTS = 8;

export function tempPathOf(path: string, pid = process.pid): string {
  return `${path}.tmp-${pid}`;
}

/** The files a writer keeps beside the archive (./README.md, "Files beside an archive"). */
export function sidePaths(path: string): { shadow: string; prev: string; seal: string } {
  return { shadow: `${path}.shadow`, prev: `${path}.prev`, seal: `${path}.seal` };
}

export async function renameWithRetry(ops: FileOps, from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ops.rename(from, to);
      return;
    } catch (err) {
      const code = errorCode(err);
      if (ops.platform !== 'win32' || !code || !WINDOWS_TRANSIENT.has(code) || attempt >= RENAME_ATTEMPTS) throw err;
      await ops.sleep(25 * 2 ** attempt);
    }
  }
}

/** A failed checkpoint step as the ArchiveError the user sees. */
export function saveError(path: string, err: unknown): ArchiveError {
  const code = errorCode(err);
  if (code === 'ENOSPC' || code === 'EDQUOT') return archiveErrors.diskFull(path, err);
  const detail = err instanceof Error ? err.message : String(err);
  return archiveErrors.unwritable(path, `saving failed (${detail})`, err);
}

/**
 * What an interrupted checkpoint leaves beside the archive: temporary files (`<archive>.tmp-PID` of full
 * writes by earlier versions, `<archive>.seal.tmp-PID`) and `<archive>.prev`, a second name of an earlier
 * checkpoint. None is ever the only copy of anything. Only the lock holder may call this.
 */
export async function removeLeftovers(path: string): Promise<void> {
  const name = basename(path);
  const side = sidePaths(name);
  const tempOf = (n: string, of: string) => n.startsWith(`${of}.tmp-`) && /^\d+$/.test(n.slice(`${of}.tmp-`.length));
  const leftover = (n: string) => n === side.prev || tempOf(n, name) || tempOf(n, side.seal);
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  await Promise.all(names.filter(leftover).map((n) => rm(join(dirname(path), n), { force: true })));
}
