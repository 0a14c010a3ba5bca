// A script in a fresh Node process (through tsx), with `env` added to this one's and none of its proxy or
// certificate settings: Node reads NODE_EXTRA_CA_CERTS and the system's roots at start, so the tests of proxies
// and certificates run their client there. The script writes its JSON answer to stdout.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));

export function inFreshNode<T>(script: string, env: Record<string, string>): Promise<T> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(https?_proxy|no_proxy|all_proxy|node_extra_ca_certs|ssl_cert_(file|dir))$/iu.test(k)));
  const child = spawn(process.execPath, [TSX, '-e', script], { env: { ...clean, ...env }, timeout: 30_000 });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`child exited ${code}: ${err}`)))));
}
