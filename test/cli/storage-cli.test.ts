// The archive's storage as the command line meets it: reading while a backup writes, `verify`, and the rollback
// journal's one-time note.

import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../emulator';
import { expectExact } from '../engine/truth';
import { Archive } from '../../app/archive';
import { cliEnv, runCli, startCli } from './run-cli';

const APP = { sdkAppId: 1400000207, secretKey: 'cli-storage-secret-0123456789', admins: ['administrator'] };
let emulator: Emulator;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({
    apps: [{ ...APP, groups: [{ groupId: 'busy', messages: 8000, seed: 71 }, { groupId: 'small', messages: 60, seed: 72 }] }],
    latencyMs: 20,
    jitterMs: 5,
  });
  dir = await mkdtemp(join(tmpdir(), 'tim-cli-storage-'));
});
afterAll(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

const env = (over: Record<string, string | undefined> = {}) => cliEnv(emulator.url, APP, over);

describe('reading while a backup writes', () => {
  it('status, export, search and verify work on the archive a running backup is writing, and see what it has saved', async () => {
    const path = join(dir, 'live.sqlite');
    // 400 windows at 40 requests/s: about ten seconds of backup.
    const backup = startCli(['backup', 'busy', '--archive', path, '--rate', '40'], env());
    let archived = 0;
    for (let i = 0; i < 200 && archived < 500; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const status = await runCli(['status', '--json', '--archive', path], env());
      if (status.code !== 0) continue;
      archived = (JSON.parse(status.stdout) as { archived: number }[])[0]?.archived ?? 0;
    }
    expect(archived).toBeGreaterThanOrEqual(500);
    expect(backup.child.exitCode).toBeNull();

    const out = join(dir, 'live.jsonl');
    const exported = await runCli(['export', '--format', 'jsonl', '--out', out, '--archive', path], env());
    expect(exported.code, exported.stderr).toBe(0);
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(archived);
    const word = lines.map((l) => /"Text":"[^"]*?(\p{Script=Han}{2})/u.exec(l)?.[1]).find((w) => w !== undefined)!;
    expect(word).toBeDefined();
    const found = await runCli(['search', word, '--json', '--archive', path], env());
    expect(found.code, found.stderr).toBe(0);
    expect(found.stdout).toContain(word);
    const verified = await runCli(['verify', '--quick', '--archive', path], env());
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(/is intact/);
    // The backup was not disturbed: it finishes, exactly.
    expect(backup.child.exitCode).toBeNull();
    const done = await backup.done;
    expect(done.code, done.stderr).toBe(0);
    const archive = await Archive.open(path, { readOnly: true });
    try {
      expectExact(archive, 'busy', emulator.group(APP.sdkAppId, 'busy'));
    } finally {
      await archive.close();
    }
  }, 120_000);
});

describe('tim-backup verify', () => {
  it('reports a damaged archive as damaged (exit 1) and an intact one as intact, in words and as JSON', async () => {
    const path = join(dir, 'verify.sqlite');
    expect((await runCli(['backup', 'small', '--archive', path], env())).code).toBe(0);
    const ok = await runCli(['verify', '--json', '--archive', path], env());
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, problems: [] });

    const damaged = join(dir, 'damaged.sqlite');
    await copyFile(path, damaged);
    const bytes = await readFile(damaged);
    // Header intact, every page after the first few overwritten.
    bytes.fill(0x5a, 4096 * 3);
    await writeFile(damaged, bytes);
    const bad = await runCli(['verify', '--archive', damaged], env());
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/is DAMAGED/);
    expect(bad.stdout).toMatch(/restore the archive from a copy/);
  }, 60_000);
});

describe('drives without a write-ahead log', () => {
  it('the first backup on such a drive says once that the archive uses a rollback journal; the next one does not', async () => {
    const path = join(dir, 'nas.sqlite');
    const rollback = env({ TIM_ARCHIVE_JOURNAL: 'rollback' });
    const first = await runCli(['backup', 'small', '--archive', path], rollback);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/rollback journal because TIM_ARCHIVE_JOURNAL=rollback is set.*Shown once/s);
    const second = await runCli(['backup', 'small', '--archive', path], rollback);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).not.toMatch(/rollback journal/);
    expect((await readFile(path))[18]).toBe(1);
  }, 60_000);
});

describe('the runtime', () => {
  it('an older Node.js (the machine\'s own Node 20 here) gets a plain sentence, not a module error', async (ctx) => {
    const { execFileSync, spawnSync } = await import('node:child_process');
    const old = ['/usr/bin/node', '/usr/local/bin/node'].find((n) => spawnSync(n, ['-e', 'process.exit(Number(process.versions.node.split(".")[0]) < 22 ? 0 : 1)']).status === 0);
    if (!old) return ctx.skip();
    const { BIN } = await import('./run-cli');
    let stderr = '';
    try {
      execFileSync(old, [BIN, 'status'], { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      stderr = String((err as { stderr: Buffer }).stderr);
    }
    expect(stderr).toMatch(/tim-backup needs Node\.js 22\.13 or later/);
    expect(stderr).toMatch(/npx tim-backup/);
  });
});
