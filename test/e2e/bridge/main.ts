// The bridge as a process of its own:
//   tsx test/e2e/bridge/main.ts --data-dir DIR [--port N] [--keychain-service S] [--dist renderer/dist]
// Prints one line `BRIDGE <url>` when it is ready; SIGTERM/SIGINT, or with --stop-on-stdin-end the end of its
// stdin (./launch.ts holds it), save every archive and end it.

import { parseArgs } from 'node:util';
import { startBridge } from './server';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    'keychain-service': { type: 'string' },
    dist: { type: 'string' },
    'stop-on-stdin-end': { type: 'boolean' },
  },
});
const dataDir = values['data-dir'];
if (!dataDir) {
  console.error('Usage: tsx test/e2e/bridge/main.ts --data-dir DIR [--port N] [--keychain-service NAME] [--dist FOLDER]');
  process.exit(2);
}

const bridge = await startBridge({
  dataDir,
  ...(values.port ? { port: Number(values.port) } : {}),
  ...(values['keychain-service'] ? { keychainService: values['keychain-service'] } : {}),
  ...(values.dist ? { distDir: values.dist } : {}),
});
console.log(`BRIDGE ${bridge.url}`);

let closing = false;
const stop = () => {
  if (closing) return;
  closing = true;
  void bridge.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (values['stop-on-stdin-end']) {
  process.stdin.on('end', stop);
  process.stdin.resume();
}
