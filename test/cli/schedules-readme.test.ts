// The scheduling recipes of the README, taken from the README itself so that the two cannot drift: the script
// with the real tim-backup against the emulator, the cron line's command, the systemd units through
// systemd-analyze, the launchd file as a property list. (cron's time fields, launchd and Task Scheduler
// themselves cannot run here.)

import { execFile, spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../emulator';
import { BIN } from './run-cli';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const APP = { sdkAppId: 1400000203, secretKey: 'cli-readme-secret-key-0123456789', admins: ['administrator'] };
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

let emulator: Emulator;
let home: string;
let readme: string;

/** The fenced block of `lang` that follows the first occurrence of `after` in the README. */
function block(after: string, lang: string): string {
  const at = readme.indexOf(after);
  expect(at, `README mentions ${after}`).toBeGreaterThanOrEqual(0);
  const open = readme.indexOf(`\`\`\`${lang}\n`, at);
  const start = open + lang.length + 4;
  return readme.slice(start, readme.indexOf('\n```', start) + 1);
}

function sh(command: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', command], { env: { PATH: process.env.PATH!, HOME: home, TZ: 'UTC', ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const dir = () => join(home, 'tim-backup');
async function writeEnv(secretKey = APP.secretKey): Promise<void> {
  const env = block('~/tim-backup/tim.env', 'sh')
    .replace(/^TIM_SDKAPPID=.*$/m, `TIM_SDKAPPID=${APP.sdkAppId}`)
    .replace(/^TIM_SECRET_KEY=.*$/m, `TIM_SECRET_KEY=${secretKey}`)
    .replace(/^TIM_REGION=.*$/m, `TIM_ENDPOINT=${emulator.url}`);
  await writeFile(join(dir(), 'tim.env'), env, { mode: 0o600 });
}

beforeAll(async () => {
  readme = await readFile(README, 'utf8');
  emulator = await startEmulator({ apps: [{ ...APP, groups: [{ groupId: 'chat', messages: 200, seed: 41 }] }], latencyMs: 2, jitterMs: 2 });
  home = await mkdtemp(join(tmpdir(), 'tim-readme-'));
  await mkdir(dir());
  // The recipe runs `npx tim-backup` in a checkout; here the checkout is this one, run with this Node.
  const script = block('~/tim-backup/run-backup.sh', 'sh').replace('npx tim-backup', `"${process.execPath}" "${BIN}"`);
  expect(script).toContain(BIN);
  await writeFile(join(dir(), 'run-backup.sh'), script);
  await chmod(join(dir(), 'run-backup.sh'), 0o755);
  await writeEnv();
});
afterAll(async () => {
  await emulator?.close();
  await rm(home, { recursive: true, force: true });
});

describe('README: backups on a schedule', () => {
  it('run-backup.sh backs up into ~/tim-backup and passes tim-backup’s exit code on: 0, 3, 1', async () => {
    expect(await sh('"$HOME/tim-backup/run-backup.sh"')).toMatchObject({ code: 0, stdout: '' });
    const log = await readFile(join(dir(), 'backup.log'), 'utf8');
    expect(log).toMatch(/^=== \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n/);
    expect(log).toContain('Backup complete.');
    // A group that does not exist is skipped: finished with gaps.
    expect((await sh('"$HOME/tim-backup/run-backup.sh" chat no-such-group')).code).toBe(3);
    await writeEnv('wrong-key');
    try {
      expect((await sh('"$HOME/tim-backup/run-backup.sh"')).code).toBe(1);
    } finally {
      await writeEnv();
    }
  });

  it('the cron line is silent when the backup worked and prints the alert (mailed by cron) when it did not', async () => {
    const lines = block('**cron**', '').trim().split('\n');
    expect(lines.slice(0, 2).map((l) => l.split('=')[0])).toEqual(['PATH', 'MAILTO']);
    const job = /^(\S+\s+){5}(.*)$/.exec(lines[2]!)!;
    expect(job[0].split(/\s+/).slice(0, 5)).toEqual(['17', '3', '*', '*', '*']);
    // cron gives a job's line to /bin/sh, with HOME set and "%" meaning a newline: there must be none.
    expect(job[2]).not.toContain('%');
    expect(await sh(job[2]!)).toMatchObject({ code: 0, stdout: '' });
    await writeEnv('wrong-key');
    try {
      const failed = await sh(job[2]!);
      expect(failed.stdout).toBe('TIM Group Backup exit code 1 (3: finished with gaps, 1: failed). See ~/tim-backup/backup.log and: npx tim-backup history\n');
    } finally {
      await writeEnv();
    }
  });

  it.skipIf(!has('systemd-analyze'))('the systemd units pass systemd-analyze --user verify, and the timer’s calendar parses', async () => {
    const units = join(home, 'units');
    const runtime = join(home, 'runtime');
    await mkdir(units);
    await mkdir(runtime, { mode: 0o700 });
    const files = ['tim-backup.service', 'tim-backup.timer', 'tim-backup-alert.service'];
    for (const f of files) await writeFile(join(units, f), block(`\`${f}\``, 'ini'));
    const env = { XDG_RUNTIME_DIR: runtime };
    const verify = await sh(`systemd-analyze --user verify ${files.map((f) => `"${join(units, f)}"`).join(' ')}`, env);
    expect(verify, verify.stderr).toMatchObject({ code: 0, stderr: '' });
    const onCalendar = /^OnCalendar=(.*)$/m.exec(block('`tim-backup.timer`', 'ini'))![1]!;
    const calendar = await sh(`systemd-analyze calendar "${onCalendar}"`);
    expect(calendar.code, calendar.stderr).toBe(0);
    expect(calendar.stdout).toMatch(/Next elapse: \w+ \d{4}-\d\d-\d\d 03:17:00 UTC/);
    // The check is real: a unit whose script is missing fails it.
    await writeFile(join(units, 'broken.service'), block('`tim-backup.service`', 'ini').replace('run-backup.sh', 'missing.sh'));
    expect((await sh(`systemd-analyze --user verify "${join(units, 'broken.service')}"`, env)).code).not.toBe(0);
  });

  it.skipIf(!has('python3'))('the launchd file is a property list whose command runs the backup', async () => {
    const plist = join(home, 'com.example.tim-backup.plist');
    await writeFile(plist, block('~/Library/LaunchAgents/com.example.tim-backup.plist', 'xml'));
    const parsed = await sh(`python3 -c 'import json, plistlib, sys; print(json.dumps(plistlib.load(open(sys.argv[1], "rb"))))' "${plist}"`);
    expect(parsed.code, parsed.stderr).toBe(0);
    const job = JSON.parse(parsed.stdout);
    expect(job).toMatchObject({ Label: 'com.example.tim-backup', StartCalendarInterval: { Hour: 3, Minute: 17 } });
    expect(job.ProgramArguments.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(await sh(job.ProgramArguments[2])).toMatchObject({ code: 0, stdout: '' });
  });
});
