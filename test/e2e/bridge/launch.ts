// Starts the bridge (./main.ts) as a child process, optionally inside a throw-away D-Bus session with an unlocked
// GNOME Keyring, so the worker's keychain (pinned to the Secret Service on Linux) works on a headless machine
// and never touches the person's own keyring. Used by the end-to-end tests and by `npm run dev:browser` where
// no session bus exists.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { browserMissing } from '../harness';
import type { ShellCall } from './server';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export interface LaunchOptions {
  dataDir: string;
  port?: number;
  keychainService?: string;
  /** The built renderer to serve; default renderer/dist. */
  distDir?: string;
  /** Run inside a new D-Bus session with a new, unlocked keyring (Linux; see hasThrowawayKeyring). */
  throwawayKeyring: boolean;
  /** Where the bridge's own output goes; default: kept, and shown if it fails to start. */
  echo?: boolean;
}

export interface LaunchedBridge {
  url: string;
  /** What the stand-ins for the main process were asked so far. */
  shellCalls(): Promise<ShellCall[]>;
  /** Saves the archives and ends the bridge (and its D-Bus session). */
  stop(): Promise<void>;
}

/** dbus-run-session and gnome-keyring-daemon are installed (Debian: packages dbus and gnome-keyring). */
export function hasThrowawayKeyring(): boolean {
  return ['dbus-run-session', 'gnome-keyring-daemon'].every((cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0);
}

/** Why the tests of the app against the real worker cannot run here (no browser, or no throw-away keyring), or undefined. */
export function appTestsMissing(): string | undefined {
  return browserMissing() ?? (hasThrowawayKeyring() ? undefined : 'dbus-run-session and gnome-keyring-daemon are needed for the keychain (Debian: apt-get install dbus gnome-keyring).');
}

export async function launchBridge(opts: LaunchOptions): Promise<LaunchedBridge> {
  const bridgeArgs = [
    process.execPath, '--import', 'tsx', MAIN, '--data-dir', opts.dataDir, '--stop-on-stdin-end',
    ...(opts.port !== undefined ? ['--port', String(opts.port)] : []),
    ...(opts.keychainService ? ['--keychain-service', opts.keychainService] : []),
    ...(opts.distDir ? ['--dist', opts.distDir] : []),
  ];
  let sessionDir: string | undefined;
  let child: ChildProcess;
  if (opts.throwawayKeyring) {
    sessionDir = await mkdtemp(join(tmpdir(), 'tim-bridge-keyring-'));
    const runtime = join(sessionDir, 'runtime');
    await mkdir(runtime);
    await chmod(runtime, 0o700);
    const script = 'printf %s throwaway | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"';
    child = spawn('dbus-run-session', ['--', 'sh', '-c', script, 'sh', ...bridgeArgs], {
      env: { ...process.env, XDG_DATA_HOME: join(sessionDir, 'data'), XDG_RUNTIME_DIR: runtime },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
  } else {
    child = spawn(bridgeArgs[0]!, bridgeArgs.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  }

  const output: string[] = [];
  child.stderr!.on('data', (c: Buffer) => (opts.echo ? process.stderr.write(c) : output.push(c.toString())));
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));

  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`The bridge did not start within ${READY_TIMEOUT_MS / 1000} s.\n${output.join('')}`)), READY_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /^BRIDGE (\S+)/u.exec(line);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      } else if (opts.echo) {
        console.log(line);
      } else {
        output.push(`${line}\n`);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`The bridge exited (code ${code}) before it was ready.\n${output.join('')}`));
    });
  });

  return {
    url,
    async shellCalls() {
      const res = await fetch(new URL('__bridge/shell', url));
      return (await res.json()) as ShellCall[];
    },
    async stop() {
      if (child.exitCode === null && child.pid !== undefined) {
        // Closing its stdin asks the bridge to save the archives and exit; its D-Bus session ends with it.
        child.stdin!.end();
        const timer = setTimeout(() => {
          // Not gone in time: the whole process group this launch started, by its id.
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // already gone
          }
        }, STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      if (sessionDir) await rm(sessionDir, { recursive: true, force: true });
    },
  };
}
