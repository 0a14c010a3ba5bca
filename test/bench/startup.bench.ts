// How long `tim-backup` takes to start: `--help` and `status` on a small archive, from the prebuilt bundle (what
// an install runs) and from the TypeScript sources through tsx (the development path, TIM_CLI_FROM_SOURCE=1),
// against plain `node -e 0` (the floor: starting Node itself). Wall time of the whole process, median of N runs.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from '../../build/bundle.mjs';
import { startEmulator } from '../emulator';

const BIN = fileURLToPath(new URL('../../bin/tim-backup.js', import.meta.url));
const APP = { sdkAppId: 1400000401, secretKey: 'startup-bench-secret-key-0123456789', admins: ['administrator'] };

export interface StartupRow {
  what: string;
  medianMs: number;
  minMs: number;
}

export interface StartupResult {
  runs: number;
  messages: number;
  rows: StartupRow[];
}

function timed(args: string[], env: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: 'ignore' });
  return new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${args.join(' ')} exited with ${code}`)))),
  );
}

async function measure(what: string, runs: number, args: string[], env: Record<string, string> = {}): Promise<StartupRow> {
  await timed(args, env); // warm the file cache
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timed(args, env));
  times.sort((a, b) => a - b);
  return { what, medianMs: times[Math.floor(times.length / 2)]!, minMs: times[0]! };
}

export async function benchStartup(runs: number, messages = 500): Promise<StartupResult> {
  await bundleCli();
  const dir = await mkdtemp(join(tmpdir(), 'tim-bench-startup-'));
  const emulator = await startEmulator({ apps: [{ ...APP, groups: [{ groupId: 'small', messages, seed: 41 }] }] });
  try {
    const archive = join(dir, 'small.sqlite');
    await timed([BIN, 'backup', 'small', '--archive', archive], { TIM_ENDPOINT: emulator.url, TIM_SDKAPPID: String(APP.sdkAppId), TIM_ADMIN: APP.admins[0]!, TIM_SECRET_KEY: APP.secretKey });
    const source = { TIM_CLI_FROM_SOURCE: '1' };
    return {
      runs,
      messages,
      rows: [
        await measure('node -e 0', runs, ['-e', '0']),
        await measure('tim-backup --help (bundle)', runs, [BIN, '--help']),
        await measure('tim-backup --help (sources through tsx)', runs, [BIN, '--help'], source),
        await measure('tim-backup status (bundle)', runs, [BIN, 'status', '--archive', archive]),
        await measure('tim-backup status (sources through tsx)', runs, [BIN, 'status', '--archive', archive], source),
      ],
    };
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}
