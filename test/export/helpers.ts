// Temporary archives and folders for the export tests, removed when the test file finishes.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { Archive } from '../../app/archive';
import { fillArchive, type GroupFixture } from './fixtures';

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** In `parent` (default the system's temporary folder): /dev/shm puts it on another drive. */
export async function tempDir(parent = tmpdir()): Promise<string> {
  const dir = await mkdtemp(join(parent, 'tim-export-test-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A writable archive holding the groups, in a temporary folder. */
export async function tempArchive(groups: GroupFixture[], parent?: string): Promise<{ archive: Archive; dir: string; gids: number[] }> {
  const dir = await tempDir(parent);
  const archive = await Archive.open(join(dir, 'archive.sqlite'), { create: true });
  cleanups.push(() => archive.close());
  return { archive, dir, gids: fillArchive(archive, groups) };
}
