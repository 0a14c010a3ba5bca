// One writer per archive file: `<archive>.lock`, created with O_EXCL, names the process holding it, so a second
// writer is told who holds the archive and since when (SQLite's own locks, underneath, could only say "busy").
// A lock whose process is gone (on this host) is stale and taken over, so a crash never leaves the archive
// blocked — and taking one over tells the new writer that the last one did not close cleanly. Readers take no
// lock: SQLite gives them a consistent view of the last commit.
//
// Two processes taking over the same stale lock at the same instant could both succeed; O_EXCL alone cannot
// rule that out, and it needs a crash followed by two simultaneous starts.

import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ArchiveError, archiveErrors, errorCode } from './errors';

interface LockContent {
  pid: number;
  hostname: string;
  time: string;
  token: string;
}

export interface HeldLock {
  readonly path: string;
  readonly token: string;
  /** The lock was left by a writer that died (on this host): the archive was not closed cleanly. */
  readonly tookOver: boolean;
}

/** A lock file we cannot parse is left alone this long: its writer may be about to fill it in. */
const UNREADABLE_GRACE_MS = 10_000;

const held = new Set<HeldLock>();
let exitHookInstalled = false;

export function lockPathOf(archivePath: string): string {
  return `${archivePath}.lock`;
}

export function acquireLock(archivePath: string): HeldLock {
  const path = lockPathOf(archivePath);
  const content: LockContent = { pid: process.pid, hostname: hostname(), time: new Date().toISOString(), token: randomUUID() };
  let tookOver = false;
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (err) {
      const code = errorCode(err);
      if (code === 'EEXIST') {
        const holder = readHolder(path);
        if (holder === 'gone') continue;
        if (isStale(path, holder)) {
          removeIfPresent(path);
          tookOver = true;
          continue;
        }
        throw lockedError(archivePath, path, holder);
      }
      if (code === 'ENOENT') throw archiveErrors.folderNotFound(archivePath, dirname(archivePath));
      throw archiveErrors.unwritable(archivePath, 'lock-create', { lock: path, detail: code ?? String(err) }, err);
    }
    try {
      writeSync(fd, JSON.stringify(content));
    } catch (err) {
      closeSync(fd);
      removeIfPresent(path);
      if (errorCode(err) === 'ENOSPC') throw archiveErrors.diskFull(archivePath, err);
      throw archiveErrors.unwritable(archivePath, 'lock-write', { lock: path, detail: errorCode(err) ?? String(err) }, err);
    }
    closeSync(fd);
    const lock: HeldLock = { path, token: content.token, tookOver };
    held.add(lock);
    installExitHook();
    return lock;
  }
  throw lockedError(archivePath, path, undefined);
}

/** Removes the lock if it is still ours (never someone else's that took over after we were presumed dead). */
export function releaseLock(lock: HeldLock): void {
  held.delete(lock);
  const holder = readHolder(lock.path);
  if (holder !== 'gone' && holder?.token === lock.token) removeIfPresent(lock.path);
}

function readHolder(path: string): LockContent | undefined | 'gone' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return 'gone';
    return undefined;
  }
  try {
    const v = JSON.parse(text) as Partial<LockContent>;
    if (typeof v.pid === 'number' && typeof v.hostname === 'string' && typeof v.token === 'string') {
      return { pid: v.pid, hostname: v.hostname, time: typeof v.time === 'string' ? v.time : '', token: v.token };
    }
  } catch {
    // unreadable: judged by age below
  }
  return undefined;
}

function isStale(path: string, holder: LockContent | undefined): boolean {
  if (holder) {
    if (holder.hostname !== hostname()) return false;
    // Our own pid: stale unless this process really holds it (in containers, pids repeat across restarts).
    if (holder.pid === process.pid) return ![...held].some((h) => h.path === path && h.token === holder.token);
    return !isAlive(holder.pid);
  }
  try {
    return Date.now() - statSync(path).mtimeMs > UNREADABLE_GRACE_MS;
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it just belongs to someone else.
    return errorCode(err) === 'EPERM';
  }
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw err;
  }
}

function lockedError(archivePath: string, lockPath: string, holder: LockContent | undefined): ArchiveError {
  return archiveErrors.locked(archivePath, lockPath, holder ? { pid: holder.pid, hostname: holder.hostname, ...(holder.time ? { time: holder.time } : {}) } : undefined);
}

/** A process that exits without closing its archive (an uncaught error) still releases its locks. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const lock of [...held]) {
      try {
        releaseLock(lock);
      } catch {
        // exiting anyway; a leftover lock of a dead process is taken over by the next writer
      }
    }
  });
}
