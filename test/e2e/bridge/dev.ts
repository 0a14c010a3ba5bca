// `npm run dev:browser`: the app in your browser, for development — the built renderer (renderer/dist), the real
// worker, your profiles and archives (the desktop app's data folder, or --data-dir / TIM_DATA_DIR).
// On Linux without a session bus (a server, a container) the keychain lives in a throw-away keyring for the
// session: SecretKeys saved there are gone when this stops.

import { parseArgs } from 'node:util';
import { dataDir } from '../../../app/profiles/paths';
import { hasThrowawayKeyring, launchBridge } from './launch';

const { values } = parseArgs({ options: { port: { type: 'string', default: '5180' }, 'data-dir': { type: 'string' } } });
const dir = values['data-dir'] ?? dataDir();
const noSessionBus = process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS;
const throwawayKeyring = noSessionBus && hasThrowawayKeyring();
if (noSessionBus && !throwawayKeyring) {
  console.warn('No D-Bus session and no gnome-keyring-daemon: saving a SecretKey will fail. The demo works without one.');
}

const bridge = await launchBridge({ dataDir: dir, port: Number(values.port), throwawayKeyring, echo: true });
console.log(`TIM Group Backup in the browser: ${bridge.url}`);
console.log(`Data folder: ${dir}${throwawayKeyring ? ' (SecretKeys in a throw-away keyring for this session)' : ''}`);
console.log('Stop with Ctrl+C.');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void bridge.stop().then(() => process.exit(0));
  });
}
