// Shared by the media tests: an emulator on 127.0.0.1 whose groups carry small real media, an archive in a
// temporary folder, and a backup that downloads the media beside the messages. `expectStoreExact` compares the
// store with the emulator's truth, file by file.

import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { onCleanup, tempDir } from '../archive/helpers';
import { allRows, Archive, arrayStatement } from '../../app/archive';
import { type BackupOptions, runBackup } from '../../app/engine/backup';
import { Pacer } from '../../app/engine/pacer';
import { ImClient } from '../../app/im/client';
import type { MediaDownloadOptions } from '../../app/media/downloader';
import { mediaFilePath, mediaFolder } from '../../app/media/model';
import { DEFAULT_MEDIA_POLICY, type MediaPolicy } from '../../app/media/policy';
import { type AppSpec, type Emulator, type EmulatorOptions, startEmulator } from '../emulator';

export const APP = { sdkAppId: 1400000111, secretKey: 'media-test-secret-key', admins: ['administrator'] };
const FAST_RETRY = { maxAttempts: 8, baseMs: 5, capMs: 50, maxRateLimited: 1000 };
/** Media downloads in tests: quick backoff, quick polling, and plenty of free disk unless a test says otherwise. */
export const FAST_MEDIA = { retry: { tries: 4, baseMs: 5, maxMs: 40 }, pollMs: 20, diskRecheckMs: 20, timeoutMs: 2000 };

export { onCleanup, tempDir as tempFolder } from '../archive/helpers';

export async function setup(groups: AppSpec['groups'], emu: Partial<EmulatorOptions> = {}) {
  const emulator: Emulator = await startEmulator({ apps: [{ ...APP, groups }], ...emu });
  onCleanup(() => emulator.close());
  const dir = await tempDir();
  const path = join(dir, 'archive.sqlite');
  const archive = await Archive.open(path, { create: true });
  onCleanup(() => archive.close());
  const client = new ImClient({ endpoint: emulator.url, sdkAppId: APP.sdkAppId, identifier: APP.admins[0]!, secretKey: APP.secretKey });
  // media: the downloader's options over the tests' defaults; null: record the media, download nothing.
  const backup = (targets: string[], media: Partial<MediaDownloadOptions> | null = {}, extra: Partial<BackupOptions> = {}) => {
    const downloads = media && { policy: policy(), allowLoopback: true, freeBytes: async () => 1e15, ...FAST_MEDIA, ...media };
    const groups = targets.map((groupId) => ({ groupId }));
    return runBackup({ api: client, archive, sdkAppId: APP.sdkAppId, pacer: new Pacer({ rate: 200 }), targets: groups, retry: FAST_RETRY, ...(downloads ? { media: downloads } : {}), ...extra });
  };
  return { emulator, archive, client, backup, path, dir };
}

export function policy(over: Partial<MediaPolicy> = {}): MediaPolicy {
  return { ...DEFAULT_MEDIA_POLICY, ...over };
}

export interface MediaRow {
  key: string;
  state: string;
  url: string | null;
  declared: number;
  size: number | null;
  sha256: string | null;
  mime: string | null;
  attempts: number;
  lastError: string | null;
}

/** The media rows of messages, or with `avatars` people's avatars as well. */
export function mediaRows(archive: Archive, avatars = false): Map<string, MediaRow> {
  const rows = allRows(arrayStatement(archive.db, `SELECT key, state, url, declared_size, size, sha256, mime, attempts, last_error FROM media ${avatars ? '' : "WHERE rendition != 'avatar'"} ORDER BY key`));
  return new Map(
    rows.map(([key, state, url, declared, size, sha256, mime, attempts, lastError]) => [
      key as string,
      { key: key as string, state: state as string, url: url as string | null, declared: Number(declared), size: size === null ? null : Number(size), sha256: sha256 as string | null, mime: mime as string | null, attempts: Number(attempts), lastError: lastError as string | null },
    ]),
  );
}

/**
 * Every stored row's file (avatars included) is byte-identical to the emulator's truth for that key, and the store holds nothing
 * else (no partial file, no temporary left, no file twice). Returns the messages' rows.
 */
export async function expectStoreExact(archive: Archive, emulator: Emulator): Promise<Map<string, MediaRow>> {
  const rows = mediaRows(archive, true);
  const wanted = new Set<string>();
  for (const row of rows.values()) {
    if (row.state !== 'stored') continue;
    if (row.key.endsWith(':avatar')) {
      // An avatar is the PNG the emulator serves at its URL.
      const bytes = await readFile(mediaFilePath(archive.path, row.sha256!));
      expect(bytes.equals(emulator.media.avatarBytes(row.url!)), row.key).toBe(true);
      expect([row.size, row.mime], row.key).toEqual([bytes.length, 'image/png']);
      wanted.add(row.sha256!);
      continue;
    }
    const truth = emulator.media.truth(row.key);
    expect(truth, row.key).toBeDefined();
    expect(row.sha256, row.key).toBe(truth!.sha256());
    expect(row.size, row.key).toBe(truth!.size);
    const bytes = await readFile(mediaFilePath(archive.path, row.sha256!));
    expect(bytes.length, row.key).toBe(truth!.size);
    expect(createHash('sha256').update(bytes).digest('hex'), row.key).toBe(truth!.sha256());
    expect(bytes.equals(truth!.bytes()), row.key).toBe(true);
    wanted.add(row.sha256!);
  }
  const onDisk = await storedFiles(archive.path);
  expect(onDisk.sort()).toEqual([...wanted].sort());
  return mediaRows(archive);
}

/** The sha256 names of the files in the store, and nothing in tmp/. */
export async function storedFiles(archivePath: string): Promise<string[]> {
  const root = mediaFolder(archivePath);
  const out: string[] = [];
  let entries: string[];
  try {
    entries = await readdir(root, { recursive: true });
  } catch {
    return [];
  }
  for (const rel of entries) {
    const parts = rel.split(/[\\/]/);
    if (parts[0] === 'tmp') {
      expect(parts.length, `left in tmp/: ${rel}`).toBe(1);
      continue;
    }
    if (parts.length === 3) out.push(parts[2]!);
  }
  return out;
}
