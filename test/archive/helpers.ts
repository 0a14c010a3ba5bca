// Shared by the archive tests: temporary folders that are removed after each test, message builders, and
// child processes running ./fixtures/child.ts.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import type { GroupMsg, MsgElem } from '../../app/im/wire';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

export function onCleanup(fn: () => Promise<unknown>): void {
  cleanups.push(fn);
}

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tim-archive-test-'));
  onCleanup(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export function textMsg(seq: number, text: string, extra: Partial<GroupMsg> = {}): GroupMsg {
  return msg(seq, [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }], extra);
}

export function msg(seq: number, body: MsgElem[], extra: Partial<GroupMsg> = {}): GroupMsg {
  return { From_Account: `user${seq % 7}`, IsPlaceMsg: 0, MsgBody: body, MsgPriority: 1, MsgRandom: 1000 + seq, MsgSeq: seq, MsgTimeStamp: 1_700_000_000 + seq, ...extra };
}

/** What Tencent returns for a Seq recalled after the fact (WithRecalledMsg=1). */
export function recalled(original: GroupMsg): GroupMsg {
  return { From_Account: original.From_Account, IsPlaceMsg: 2, MsgBody: [], MsgPriority: original.MsgPriority, MsgRandom: original.MsgRandom, MsgSeq: original.MsgSeq, MsgTimeStamp: original.MsgTimeStamp };
}

/** What Tencent returns for a deleted Seq. */
export function deleted(original: GroupMsg): GroupMsg {
  return { From_Account: '', IsPlaceMsg: 1, MsgBody: [], MsgRandom: original.MsgRandom, MsgSeq: original.MsgSeq, MsgTimeStamp: original.MsgTimeStamp };
}

const CHILD = fileURLToPath(new URL('./fixtures/child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The command line that runs ./fixtures/child.ts with `args` (from the repository's root, for tsx). */
export function childCommand(args: string[]): { file: string; args: string[]; cwd: string } {
  return { file: process.execPath, args: ['--import', 'tsx', CHILD, ...args], cwd: ROOT };
}

export function spawnChild(args: string[]): ChildProcess {
  const command = childCommand(args);
  const child = spawn(command.file, command.args, { cwd: command.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

/** Runs a child to completion and returns its stdout (rejects with its stderr on failure). */
export function runChild(args: string[]): Promise<string> {
  const child = spawnChild(args);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

/**
 * A fresh tmpfs mounted with `options` (e.g. "size=3m", "ro"), unmounted after the test; undefined where this
 * process may not mount (not root, not Linux, no mount capability), and the test should skip.
 */
export async function mountTmpfs(options: string): Promise<string | undefined> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
  const dir = await tempDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  onCleanup(async () => execFileSync('umount', [dir], { stdio: 'ignore' }));
  return dir;
}
