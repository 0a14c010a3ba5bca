// FileOps for the checkpoint tests: real file operations that count what they write, and that fail on demand
// at any one step of a checkpoint, as a full disk, a yanked drive or a file system without hard links would.

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { expect } from 'vitest';
import type { Archive, FileOps } from '../../app/archive';
import { nodeFileOps } from '../../app/archive/durable';
import { loadSqlJs } from '../../app/archive/sqljs';

/** Every step of a checkpoint, and the seed copy made at open. */
export type Step = 'open' | 'write' | 'truncate' | 'sync' | 'link' | 'rename-shadow' | 'folder-sync' | 'rename-prev' | 'seal' | 'copy';

export function systemError(code: string): Error {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

export interface TestOps {
  ops: FileOps;
  /** Bytes written through open() files since the last reset. */
  written: number;
  /** Makes `step` fail with `code` from now on (undefined: nothing fails). */
  failing?: { step: Step; code: string } | undefined;
}

export function testOps(base: FileOps = nodeFileOps): TestOps {
  const t: TestOps = { ops: base, written: 0 };
  const check = (step: Step) => {
    if (t.failing?.step === step) throw systemError(t.failing.code);
  };
  t.ops = {
    ...base,
    async open(path, flags) {
      check('open');
      const file = await base.open(path, flags);
      return {
        async write(bytes, position) {
          check('write');
          await file.write(bytes, position);
          t.written += bytes.length;
        },
        async truncate(length) {
          check('truncate');
          await file.truncate(length);
        },
        async sync() {
          check('sync');
          await file.sync();
        },
        close: () => file.close(),
      };
    },
    async copy(from, to) {
      check('copy');
      await base.copy(from, to);
    },
    async link(existing, newPath) {
      check('link');
      await base.link(existing, newPath);
    },
    async rename(from, to) {
      if (from.endsWith('.shadow')) check('rename-shadow');
      if (from.endsWith('.prev')) check('rename-prev');
      await base.rename(from, to);
    },
    async writeFile(path, text) {
      check('seal');
      await base.writeFile(path, text);
    },
    async syncFolder(path) {
      check('folder-sync');
      await base.syncFolder(path);
    },
  };
  return t;
}

/**
 * The archive file holds exactly the archive's state in memory: it passes integrity_check, and sql.js exports it
 * byte for byte like the live database (an export copies every page, so it differs if any page does).
 */
export async function expectSaved(archive: Archive): Promise<void> {
  const SQL = await loadSqlJs();
  const copy = new SQL.Database(await readFile(archive.path));
  try {
    expect(copy.exec('PRAGMA integrity_check')[0]!.values).toEqual([['ok']]);
    expect(Buffer.compare(copy.export(), archive.db.export()), `${basename(archive.path)} differs from the database in memory`).toBe(0);
  } finally {
    copy.close();
  }
}
