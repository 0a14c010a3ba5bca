// How the archive's file is kept consistent: a write-ahead log (WAL) wherever it can work, which lets readers
// (search, export, another program) read while a backup writes, and a rollback journal where it cannot.
// WAL needs the readers and the writer to share memory through `<archive>-shm`, which network file systems do
// not provide safely (https://sqlite.org/wal.html: "WAL does not work over a network filesystem"); SQLite itself
// refuses WAL on a few more (no shared memory at all). On a rollback journal a reader waits while a commit is
// written, and a commit waits for readers to finish.

import { statfsSync } from 'node:fs';

export type JournalMode = 'wal' | 'rollback';

export interface JournalChoice {
  mode: JournalMode;
  /** Why not WAL, in words for the person (the drive's kind); undefined for WAL. */
  reason?: string;
}

/** Linux statfs magic numbers of network and shared-folder file systems (linux/magic.h and the file systems' own). */
const NETWORK_FS: ReadonlyMap<number, string> = new Map([
  [0x6969, 'an NFS network drive'],
  [0x517b, 'an SMB network drive'],
  [0xff534d42, 'an SMB network drive'],
  [0xfe534d42, 'an SMB network drive'],
  [0x01021997, 'a shared folder (9p: a virtual machine or WSL drive)'],
  [0x5346414f, 'an AFS network drive'],
  [0x00c36400, 'a Ceph network drive'],
  [0x0bd00bd0, 'a Lustre network drive'],
  [0x47504653, 'a GPFS network drive'],
  [0x786f4256, 'a VirtualBox shared folder'],
]);

/** Where the file system's kind is read from; tests substitute one. */
export type FsTypeOf = (folder: string) => number | undefined;

const linuxFsType: FsTypeOf = (folder) => {
  try {
    return statfsSync(folder).type;
  } catch {
    return undefined;
  }
};

/**
 * The journal the archive at `path` (in `folder`) should use. `TIM_ARCHIVE_JOURNAL=rollback` forces the rollback
 * journal for drives we cannot recognize as shared (a mapped network drive on Windows, say).
 */
export function chooseJournal(path: string, folder: string, env: NodeJS.ProcessEnv = process.env, fsType: FsTypeOf = linuxFsType, platform = process.platform): JournalChoice {
  if (env.TIM_ARCHIVE_JOURNAL === 'rollback') return { mode: 'rollback', reason: 'TIM_ARCHIVE_JOURNAL=rollback is set' };
  if (platform === 'win32' && /^(\\\\|\/\/)/.test(path)) return { mode: 'rollback', reason: 'it is on a network share' };
  if (platform === 'linux') {
    const kind = NETWORK_FS.get(fsType(folder) ?? -1);
    if (kind) return { mode: 'rollback', reason: `it is on ${kind}` };
  }
  return { mode: 'wal' };
}
