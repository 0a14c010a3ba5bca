// Runs the real `tim-backup` entry point as a child process, the way a person or a scheduler would — or its
// main() in this process, for the many quick cases.

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { main } from '../../app/cli/main';

export const BIN = fileURLToPath(new URL('../../bin/tim-backup.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function startCli(args: string[], env: Record<string, string | undefined>): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

export function runCli(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  return startCli(args, env).done;
}

/** main() in this process, with what it prints captured: where a child process would cost seconds. */
export async function runMain(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  process.stdout.write = ((chunk: string) => ((out.stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((out.stderr += chunk), true)) as typeof process.stderr.write;
  try {
    return { code: await main(args), ...out };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
  }
}

export interface CliApp {
  sdkAppId: number;
  secretKey: string;
  admins: string[];
}

/** What a person sets to point the CLI at an app (here an emulated one): the TIM_* variables, plus `over`. */
export function cliEnv(endpoint: string, app: CliApp, over: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { TIM_ENDPOINT: endpoint, TIM_SDKAPPID: String(app.sdkAppId), TIM_ADMIN: app.admins[0], TIM_SECRET_KEY: app.secretKey, ...over };
}

/** A port on 127.0.0.1 that nothing listens on (it was just let go): a connection there is refused. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
