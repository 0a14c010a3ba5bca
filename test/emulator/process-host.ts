// Child side of ./process.ts: starts the emulator with the options given as JSON, says where it listens,
// and stops when its parent closes stdin (or dies).
import { startEmulator } from './index';

const emulator = await startEmulator(JSON.parse(process.argv[2]!));
process.stdout.write(`listening ${emulator.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => void emulator.close().then(() => process.exit(0)));
