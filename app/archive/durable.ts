// Replacing the archive file so that a crash, a power cut or a full disk at any moment leaves either the old
// file or the new one, complete: write a temporary file in the same folder, flush it to the disk, rename it
// over the archive (atomic on every platform we ship), then flush the folder so the rename itself is durable.

import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type ArchiveError, archiveErrors, errorCode } from './errors';

/** The file operations a checkpoint needs; tests substitute failing ones (a full disk cannot be faked portably). */
export interface FileOps {
  writeAndSync(path: string, bytes: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  syncFolder(path: string): Promise<void>;
  readonly platform: NodeJS.Platform;
  /** Pause between rename attempts on Windows. */
  sleep(ms: number): Promise<void>;
}

export const nodeFileOps: FileOps = {
  async writeAndSync(path, bytes) {
    const fh = await open(path, 'w', 0o644);
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
  rename,
  remove: (path) => rm(path, { force: true }),
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

/** Atomically replaces `path` with `bytes`; on any failure the temporary file is removed and `path` is as before. */
export async function replaceDurably(path: string, bytes: Uint8Array, ops: FileOps = nodeFileOps): Promise<void> {
  const tmp = tempPathOf(path);
  try {
    await ops.writeAndSync(tmp, bytes);
    await renameWithRetry(ops, tmp, path);
  } catch (err) {
    await ops.remove(tmp).catch(() => undefined);
    throw saveError(path, err);
  }
  try {
    await ops.syncFolder(dirname(path));
  } catch (err) {
    throw saveError(path, err);
  }
}

async function renameWithRetry(ops: FileOps, from: string, to: string): Promise<void> {
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

function saveError(path: string, err: unknown): ArchiveError {
  const code = errorCode(err);
  if (code === 'ENOSPC' || code === 'EDQUOT') return archiveErrors.diskFull(path, err);
  const detail = err instanceof Error ? err.message : String(err);
  return archiveErrors.unwritable(path, `saving failed (${detail})`, err);
}

/** Temporary files of checkpoints that a crash interrupted; only the lock holder may call this. */
export async function removeLeftoverTemps(path: string): Promise<void> {
  const prefix = `${basename(path)}.tmp-`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length))).map((n) => rm(join(dirname(path), n), { force: true })));
}
