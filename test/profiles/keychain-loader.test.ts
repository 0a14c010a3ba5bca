// NAPI_RS_NATIVE_LIBRARY_PATH makes @napi-rs/keyring load any file as its native module; the keychain ignores it.
// Run in a child process (the module is loaded once per process), in a worker thread too (the app's keychain
// lives in the worker, whose process.env is its own copy), with a file that leaves a mark if it is ever loaded.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
const KEYCHAIN = new URL('../../app/profiles/keychain.ts', import.meta.url).href;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tim-keyring-loader-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function planted(name: string): Promise<{ library: string; mark: string }> {
  const mark = join(dir, `${name}.loaded`);
  const library = join(dir, `${name}.js`);
  await writeFile(library, `require('fs').writeFileSync(${JSON.stringify(mark)}, 'loaded'); module.exports = {};\n`);
  return { library, mark };
}

describe('the keychain module loader', () => {
  it('never loads the file NAPI_RS_NATIVE_LIBRARY_PATH names', async () => {
    const { library, mark } = await planted('main');
    const script = `import(${JSON.stringify(KEYCHAIN)}).then((k) => { try { k.readSecretKeySync('nobody', 'TIM Group Backup loader test'); } catch {} })`;
    const r = spawnSync(process.execPath, [TSX, '-e', script], { env: { ...process.env, NAPI_RS_NATIVE_LIBRARY_PATH: library }, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(mark)).toBe(false);
  });

  it('nor in a worker thread, where the app keeps it', async () => {
    const { library, mark } = await planted('worker');
    const inWorker = `import(${JSON.stringify(KEYCHAIN)}).then(async (k) => { try { await new k.OsKeychain('TIM Group Backup loader test').get('nobody'); } catch {} })`;
    const script = `const { Worker } = require('node:worker_threads');
      new Worker(${JSON.stringify(`import('tsx/esm/api').then(({ register }) => { register(); return ${inWorker}; })`)}, { eval: true }).on('exit', (c) => process.exit(c));`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: fileURLToPath(new URL('../../', import.meta.url)), env: { ...process.env, NAPI_RS_NATIVE_LIBRARY_PATH: library }, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(mark)).toBe(false);
  });
});
