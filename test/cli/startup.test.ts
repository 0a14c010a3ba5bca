// How `tim-backup` starts: from the prebuilt bundle while it matches the sources, from the TypeScript sources
// through tsx when it does not (edited sources, no bundle yet, TIM_CLI_FROM_SOURCE=1) — the same program either
// way. Run in a scratch copy of the checkout, so touching its sources cannot disturb anything else.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli } from '../../build/bundle.mjs';
import { type Emulator, startEmulator } from '../emulator';
import { runMain } from './run-cli';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
const APP = { sdkAppId: 1400000301, secretKey: 'startup-test-secret-key-0123456789', admins: ['administrator'] };

let checkout: string;
let emulator: Emulator;
beforeAll(async () => {
  checkout = await mkdtemp(join(tmpdir(), 'tim-cli-start-'));
  for (const part of ['app', 'bin', 'build', 'package.json', 'tsconfig.json']) await cp(join(root, part), join(checkout, part), { recursive: true });
  await symlink(join(root, 'node_modules'), join(checkout, 'node_modules'), 'junction');
  emulator = await startEmulator({ apps: [{ ...APP, groups: [{ groupId: 'small', messages: 60, seed: 31 }] }] });
}, 60_000);
afterAll(async () => {
  await emulator?.close();
  await rm(checkout, { recursive: true, force: true });
});

/** The checkout's bin, as a person runs it (asynchronously: the emulator answers from this process). */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(checkout, 'bin', 'tim-backup.js'), ...args], { cwd: checkout, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('tim-backup --version', () => {
  it('prints the version of package.json', async () => {
    expect(await runMain(['--version'])).toMatchObject({ code: 0, stdout: `tim-backup ${version}\n` });
  });
});

describe('starting tim-backup', () => {
  it('runs from the sources when there is no bundle', async () => {
    expect(await cli(['--version'])).toMatchObject({ code: 0, stdout: `tim-backup ${version} (from the TypeScript sources)\n` });
  });

  it('runs from the bundle once built, for real work too (the keychain and node:sqlite stay outside it)', async () => {
    await bundleCli(checkout);
    const bundle = await readFile(join(checkout, 'out-cli', 'tim-backup.mjs'), 'utf8');
    expect(bundle).not.toContain('initSqlJsPromise');
    expect(await cli(['--version'])).toMatchObject({ code: 0, stdout: `tim-backup ${version}\n` });
    const archive = join(checkout, 'small.sqlite');
    const env = { TIM_ENDPOINT: emulator.url, TIM_SDKAPPID: String(APP.sdkAppId), TIM_ADMIN: APP.admins[0]!, TIM_SECRET_KEY: APP.secretKey };
    const backup = await cli(['backup', 'small', '--archive', archive], env);
    expect(backup.code, backup.stderr).toBe(0);
    const status = await cli(['status', '--archive', archive, '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('"small"');
    expect((await cli(['--version'], { TIM_CLI_FROM_SOURCE: '1' })).stdout).toBe(`tim-backup ${version} (from the TypeScript sources)\n`);
  }, 60_000);

  it('falls back to the sources as soon as one of them changes, and uses a rebuilt bundle again', async () => {
    await bundleCli(checkout);
    const later = new Date(Date.now() + 5_000);
    await utimes(join(checkout, 'app', 'im', 'http.ts'), later, later);
    expect((await cli(['--version'])).stdout).toBe(`tim-backup ${version} (from the TypeScript sources)\n`);
    await bundleCli(checkout);
    expect((await cli(['--version'])).stdout).toBe(`tim-backup ${version}\n`);
  }, 60_000);
});
