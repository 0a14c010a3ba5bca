// kill -9 in the middle of media downloads, then run again: no partial file in the store, no file twice, nothing
// missing, every item's final state right.

import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { Archive } from '../../app/archive';
import { mediaFilePath } from '../../app/media/model';
import { startEmulator } from '../emulator';
import { APP, expectStoreExact, FAST_MEDIA, mediaRows, onCleanup, policy, storedFiles, tempFolder } from './harness';
import { runBackup } from '../../app/engine/backup';
import { Pacer } from '../../app/engine/pacer';
import { ImClient } from '../../app/im/client';
import { readdir } from 'node:fs/promises';

/** Media rows committed as stored, as a reader of the archive sees them. */
function committedStored(path: string): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return Number((db.prepare("SELECT count(*) AS n FROM media WHERE state = 'stored'").get() as { n: number }).n);
  } finally {
    db.close();
  }
}

const CHILD = fileURLToPath(new URL('./fixtures/backup-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('media after kill -9', () => {
  it('leaves no partial file visible, and the next run completes the store exactly', async () => {
    const emulator = await startEmulator({ apps: [{ ...APP, groups: [{ groupId: 'k', messages: 250, seed: 81, media: { maxBytes: 400_000 } }] }] });
    onCleanup(() => emulator.close());
    // Slow enough that downloads are in flight when the process dies.
    emulator.media.setBandwidth(3_000_000);
    const dir = await tempFolder();
    const path = join(dir, 'archive.sqlite');
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, emulator.url, String(APP.sdkAppId), APP.secretKey, path, 'k'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    onCleanup(async () => void child.kill('SIGKILL'));
    let stored = 0;
    let err = '';
    let waiting: NodeJS.Timeout | undefined;
    onCleanup(async () => clearInterval(waiting));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<string | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        stored += (d.toString().match(/ stored\n/g) ?? []).length;
        // Killed once some media are stored and committed (as another reader of the archive sees them) and others
        // are on the way: a download's temporary file is there (on a busy machine the first bytes may take a while).
        if (stored >= 8 && !waiting) {
          waiting = setInterval(() => {
            if (committedStored(path) === 0) return;
            void readdir(join(`${path}.media`, 'tmp')).then(
              (names) => names.some((n) => n.endsWith('.part')) && resolve(),
              () => undefined,
            );
          }, 10);
        }
      });
      child.once('exit', () => reject(new Error(`the child ended before it was killed: ${err}`)));
    });
    child.kill('SIGKILL');
    clearInterval(waiting);
    expect(await exited).toBe('SIGKILL');

    const archive = await Archive.open(path);
    onCleanup(() => archive.close());
    const before = mediaRows(archive);
    const storedBefore = [...before.values()].filter((r) => r.state === 'stored');
    const left = [...before.values()].filter((r) => r.state === 'pending');
    expect(storedBefore.length).toBeGreaterThan(0);
    expect(left.length).toBeGreaterThan(0);
    // What the archive calls stored is whole on disk; the interrupted downloads are only in tmp/.
    for (const r of storedBefore) expect((await stat(mediaFilePath(path, r.sha256!))).size).toBe(r.size);
    const partials = await readdir(join(`${path}.media`, 'tmp'));
    expect(partials.length).toBeGreaterThan(0);
    expect(partials.every((p) => p.endsWith('.part'))).toBe(true);

    emulator.media.setBandwidth(undefined);
    const summary = await runBackup({
      api: new ImClient({ endpoint: emulator.url, sdkAppId: APP.sdkAppId, identifier: APP.admins[0]!, secretKey: APP.secretKey }),
      archive,
      sdkAppId: APP.sdkAppId,
      pacer: new Pacer({ rate: 200 }),
      targets: [{ groupId: 'k' }],
      media: { policy: policy(), allowLoopback: true, freeBytes: async () => 1e15, ...FAST_MEDIA },
    });
    expect(summary.outcome).toBe('ok');
    const rows = await expectStoreExact(archive, emulator);
    for (const r of rows.values()) expect(r.state, r.key).toBe(r.url === null ? 'no-url' : 'stored');
    // Those stored before the kill were not fetched again.
    for (const r of storedBefore) expect(rows.get(r.key)!.attempts).toBe(1);
    expect(await readdir(join(`${path}.media`, 'tmp'))).toEqual([]);
    const files = await storedFiles(path);
    expect(new Set(files).size).toBe(files.length);
  });
});
