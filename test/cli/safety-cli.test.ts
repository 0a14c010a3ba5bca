// Issue 16, findings 5–7 through the real command line (a child process against the emulator over HTTP): no
// archive is left by a run that stores nothing, an empty file is "no archive yet", an HTML endpoint is named for
// what it is, and --json answers every failure with {"error": {code, message, exitCode}} on stdout.

import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Archive, lockPathOf } from '../../app/archive';
import { type Emulator, startEmulator } from '../emulator';
import { closedPort, cliEnv, runCli, runMain, startCli } from './run-cli';

const APP = { sdkAppId: 1400000216, secretKey: 'safety-test-secret-key-0123456789', admins: ['administrator'] };
let emulator: Emulator;
let dir: string;
let htmlServer: Server;
/** Each request the HTML endpoint got: API and body. */
const htmlRequests: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    apps: [{ ...APP, groups: [{ groupId: 'small', messages: 60, seed: 31 }, { groupId: 'big', messages: 6000, seed: 32 }] }],
    latencyMs: 5,
    jitterMs: 5,
  });
  dir = await mkdtemp(join(tmpdir(), 'tim-safety-cli-'));
  htmlServer = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      htmlRequests.push(`${new URL(req.url!, 'http://x').pathname} ${body}`);
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>Welcome to nginx!</body></html>');
    });
  });
  htmlServer.listen(0, '127.0.0.1');
  await once(htmlServer, 'listening');
});
afterAll(async () => {
  await emulator?.close();
  await new Promise<void>((resolve) => htmlServer.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

const env = (over: Record<string, string | undefined> = {}) => cliEnv(emulator.url, APP, over);

interface JsonFailure {
  error: { code: string; message: string; exitCode: number };
}

/** Everything in the test folder named after `name`: the archive and every file beside it. */
async function filesOf(name: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.startsWith(name));
}

describe('finding 6: a run that has nothing to store leaves no archive', () => {
  it.each<[string, string[], Record<string, string>, string]>([
    ['wrong credentials', ['small'], { TIM_SECRET_KEY: 'wrong-key-wrong-key-wrong-key' }, 'credentials'],
    ['an unknown group', ['no-such-group'], {}, 'backup-failed'],
    ['an HTML page instead of the API', ['small'], { TIM_ENDPOINT: 'html' }, 'not-tencent-api'],
  ])('%s', async (name, groups, over, code) => {
    const archive = join(dir, `${name.replace(/\W/gu, '-')}.sqlite`);
    const endpoint = over.TIM_ENDPOINT === 'html' ? { TIM_ENDPOINT: `http://127.0.0.1:${(htmlServer.address() as AddressInfo).port}` } : over;
    const before = htmlRequests.length;
    const r = await runCli(['backup', ...groups, '--archive', archive, '--json'], env(endpoint));
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect((JSON.parse(r.stdout) as JsonFailure).error).toMatchObject({ code, exitCode: 1 });
    expect(r.stdout).not.toContain(APP.secretKey);
    expect(await filesOf(`${name.replace(/\W/gu, '-')}.sqlite`)).toEqual([]);
    if (over.TIM_ENDPOINT === 'html') {
      // Named for what it is at once, not after six retries of a "network hiccup": get_group_info and the windows
      // read alongside it are each asked once.
      expect((JSON.parse(r.stdout) as JsonFailure).error.message).toMatch(/is not Tencent's IM API: it answered (get_group_info|group_msg_get_simple) with a web page/u);
      const asked = htmlRequests.slice(before);
      expect(asked.some((a) => a.includes('get_group_info'))).toBe(true);
      expect(new Set(asked).size).toBe(asked.length);
    }
  });

  it('a refused connection', async () => {
    const archive = join(dir, 'refused.sqlite');
    const r = await runCli(['backup', 'small', '--archive', archive], env({ TIM_ENDPOINT: `http://127.0.0.1:${await closedPort()}` }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ECONNREFUSED.*Gave up after 6 attempts\./u);
    expect(r.stderr).not.toContain('tried again');
    expect(await filesOf('refused.sqlite')).toEqual([]);
  }, 60_000);

  it('a wrong --archive folder is still reported before any request', async () => {
    const r = await runCli(['backup', 'small', '--archive', join(dir, 'missing-folder', 'a.sqlite')], env({ TIM_ENDPOINT: `http://127.0.0.1:${await closedPort()}` }));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`tim-backup: The folder ${join(dir, 'missing-folder')} does not exist. Create it first, or choose another place for the archive.\n`);
  });
});

describe('finding 5: a zero-byte file is not yet an archive', () => {
  it('readers say so, and a backup creates the archive in its place', async () => {
    const path = join(dir, 'empty.sqlite');
    await writeFile(path, '');
    const status = await runMain(['status', '--archive', path, '--json']);
    expect(status.code).toBe(1);
    expect((JSON.parse(status.stdout) as JsonFailure).error).toEqual({
      code: 'archive-not-found',
      message: `${path} is an empty file, not an archive yet: nothing has been backed up into it. Run a backup to create the archive there (the empty file is replaced).`,
      exitCode: 1,
    });
    const r = await runCli(['backup', 'small', '--archive', path], env());
    expect(r.code, r.stderr).toBe(0);
    const a = await Archive.open(path, { readOnly: true });
    try {
      expect(a.groups().map((g) => g.groupId)).toEqual(['small']);
    } finally {
      await a.close();
    }
  });

  it('a file with anything in it is still refused as damaged and left as it was', async () => {
    const path = join(dir, 'one-byte.sqlite');
    await writeFile(path, '\n');
    const r = await runCli(['backup', 'small', '--archive', path], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/damaged or is not an archive/u);
    expect((await stat(path)).size).toBe(1);
  });
});

describe('finding 7: --json failures for every exit code', () => {
  it('2: bad usage, a mistyped flag and a bad --rate (quoted as typed)', async () => {
    const rate = await runMain(['backup', 'small', '--rate', 'abc', '--json']);
    expect(rate.code).toBe(2);
    const body = JSON.parse(rate.stdout) as JsonFailure;
    expect(body.error).toMatchObject({ code: 'usage', exitCode: 2 });
    expect(body.error.message).toMatch(/whole number from 1 to 200 .* Got "abc"\.$/u);
    expect(rate.stderr).toBe('');
    const flag = await runMain(['status', '--jsn', '--json']);
    expect(flag.code).toBe(2);
    expect((JSON.parse(flag.stdout) as JsonFailure).error).toMatchObject({ code: 'usage', exitCode: 2, message: expect.stringContaining("'--jsn'") as string });
    const human = await runMain(['backup', 'small', '--rate', 'abc']);
    expect(human.stderr).toMatch(/Got "abc"\.\nRun "tim-backup --help" for usage\.\n$/u);
  });

  it('1: failed (no archive here)', async () => {
    const r = await runMain(['status', '--archive', join(dir, 'nothing.sqlite'), '--json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as JsonFailure).error).toMatchObject({ code: 'archive-not-found', exitCode: 1 });
  });

  it('3: finished with gaps, the summary carrying the error object', async () => {
    const r = await runCli(['backup', 'small', 'no-such-group', '--archive', join(dir, 'partial.sqlite'), '--json'], env());
    expect(r.code).toBe(3);
    const body = JSON.parse(r.stdout) as JsonFailure & { outcome: string; groups: { groupId: string; state: string }[] };
    expect(body.outcome).toBe('partial');
    expect(body.error).toMatchObject({ code: 'backup-partial', exitCode: 3 });
    expect(body.groups.map((g) => [g.groupId, g.state])).toEqual([['small', 'done'], ['no-such-group', 'skipped']]);
  });

  it('130: cancelled', async () => {
    const path = join(dir, 'cancelled.sqlite');
    const { child, done } = startCli(['backup', 'big', '--archive', path, '--rate', '20', '--json'], env());
    for (let i = 0; i < 600 && !(await stat(lockPathOf(path)).then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    const body = JSON.parse(r.stdout) as JsonFailure & { outcome: string };
    expect(body.outcome).toBe('cancelled');
    expect(body.error).toMatchObject({ code: 'cancelled', exitCode: 130 });
  });
});
