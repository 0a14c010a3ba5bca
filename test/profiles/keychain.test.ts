// The SecretKey in the real OS keychain: Linux Secret Service through GNOME Keyring in a throw-away D-Bus session
// (fresh XDG_DATA_HOME and XDG_RUNTIME_DIR), exactly as .ci/run installs it. Skipped, saying why, where
// dbus-run-session or gnome-keyring-daemon is missing (macOS and Windows developers: the keychain there is the
// OS's own and needs no setup).
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SESSION_SCRIPT = fileURLToPath(new URL('./fixtures/keychain-session.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const linuxKeyring = process.platform === 'linux' && has('dbus-run-session') && has('gnome-keyring-daemon');
if (!linuxKeyring) {
  console.warn('Skipping the Secret Service keychain test: it needs Linux with dbus-run-session and gnome-keyring-daemon (apt-get install dbus gnome-keyring; .ci/run installs them).');
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'tim-keychain-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** An environment with no session bus anywhere it could be found. */
async function isolatedEnv(name: string): Promise<NodeJS.ProcessEnv> {
  const home = join(scratch, name);
  const runtime = join(home, 'runtime');
  await mkdir(join(home, 'data'), { recursive: true });
  await mkdir(runtime, { recursive: true });
  await chmod(runtime, 0o700);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_RUNTIME_DIR: runtime };
  for (const k of ['DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY']) delete env[k];
  return env;
}

describe.runIf(process.platform === 'linux')('keychain pinned to the Secret Service', () => {
  it('fails loudly, naming the Secret Service, when there is none (never falls back to a store that forgets)', async () => {
    const env = await isolatedEnv('no-bus');
    const code = `
      import { OsKeychain, readSecretKeySync } from ${JSON.stringify(fileURLToPath(new URL('../../app/profiles/keychain.ts', import.meta.url)))};
      const k = new OsKeychain('tim-test-pinned');
      const out = [];
      for (const op of [() => k.set('p', 'secret-value-123'), () => k.get('p'), () => Promise.resolve().then(() => readSecretKeySync('p', 'tim-test-pinned'))]) {
        try { await op(); out.push('ok'); } catch (e) { out.push(e.name + ': ' + e.message); }
      }
      console.log(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, [TSX, '--input-type=module', '-e', code], { env, encoding: 'utf8', timeout: 30_000 });
    const results = JSON.parse(r.stdout.trim().split('\n').pop()!) as string[];
    expect(results).toHaveLength(3);
    for (const line of results) {
      expect(line).toMatch(/^KeychainError: The system keychain cannot be used/);
      expect(line).toContain('Secret Service');
      expect(line).not.toContain('secret-value-123');
    }
  });
});

describe.runIf(linuxKeyring)('the SecretKey in GNOME Keyring (real Secret Service)', () => {
  it('is set, tested, used by the CLI, moved on rename and deleted with the profile — and never written to disk', async () => {
    const env = await isolatedEnv('session');
    const dataDir = join(scratch, 'session', 'app-data');
    const secretKey = 'f'.repeat(20) + 'keychain-test-key-0123456789abcdef';
    const inner = `echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$0" "$@"`;
    const r = spawnSync('dbus-run-session', ['--', 'sh', '-c', inner, process.execPath, TSX, SESSION_SCRIPT, dataDir, secretKey], { env, encoding: 'utf8', timeout: 50_000 });
    const line = r.stdout.split('\n').find((l) => l.startsWith('REPORT '));
    if (!line) throw new Error(`the keychain session script failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    const report = JSON.parse(line.slice('REPORT '.length));
    expect(report.hasBefore).toBe(false);
    expect(report.testWithoutKey).toMatchObject({ ok: false, problem: 'no-key' });
    expect(report.testWrongKey).toMatchObject({ ok: false, problem: 'key' });
    expect(report.hasAfter).toBe(true);
    expect(report.testGood).toMatchObject({ ok: true, totalGroups: 1 });
    expect(report.readBySync).toBe(true);
    expect(report.cliExit).toBe(0);
    expect(report.cliGroups).toEqual(['g1']);
    expect(report.keyMovedOnRename).toBe(true);
    expect(report.keyOnDisk).toBe(false);
    expect(report.keyAfterDelete).toBeNull();
    expect(r.stdout + r.stderr).not.toContain(secretKey);
  });
});
