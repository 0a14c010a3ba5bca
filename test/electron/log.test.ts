// The main process's log file: rotated by size (a bounded number of files), scrubbed of secrets, and still
// writing to stderr when the disk refuses.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RotatingLog } from '../../app/electron/log';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tim-log-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the log file', () => {
  it('rotates by size and keeps only the newest files', async () => {
    const logs = join(dir, 'logs');
    const log = new RotatingLog(logs, { maxBytes: 1_000, keep: 2 });
    for (let i = 0; i < 60; i++) log.info(`line ${i} ${'x'.repeat(50)}`);
    expect((await readdir(logs)).sort()).toEqual(['main.1.log', 'main.2.log', 'main.log']);
    const current = await readFile(join(logs, 'main.log'), 'utf8');
    expect(Buffer.byteLength(current)).toBeLessThanOrEqual(1_000);
    expect(current).toContain('line 59');
    expect(await readFile(join(logs, 'main.2.log'), 'utf8')).not.toContain('line 0 ');
    // A restarted app continues the same file and rotates it in turn.
    const again = new RotatingLog(logs, { maxBytes: 1_000, keep: 2 });
    for (let i = 60; i < 80; i++) again.info(`line ${i} ${'x'.repeat(50)}`);
    expect(await readFile(join(logs, 'main.log'), 'utf8')).toContain('line 79');
  });

  it('keeps the last errors for diagnostics and goes on when it cannot write', async () => {
    const blocked = join(dir, 'not-a-folder');
    await writeFile(blocked, 'a file where the logs folder should be');
    const mirrored: string[] = [];
    const log = new RotatingLog(blocked, { mirror: (l) => mirrored.push(l) });
    log.remember('short');
    log.remember('a-secret-key-of-some-length');
    log.error('failed with a-secret-key-of-some-length and short');
    expect(log.recentErrors()).toEqual([expect.stringMatching(/error failed with \[secret\] and short$/u)]);
    expect(mirrored.some((l) => l.includes('cannot be written'))).toBe(true);
  });
});
