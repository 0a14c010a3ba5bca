// `npm run emulator -- --port 5080 [--latency 50] [--faults 0.02] [--seed N]`: the demo apps, standalone.

import { parseArgs } from 'node:util';
import { DEMO_ADMIN, DEMO_SDKAPPID, DEMO_SECRET_KEY, demoApps, startEmulator } from './index';

const USAGE = 'usage: npm run emulator -- [--port 5080] [--latency ms] [--jitter ms] [--faults probability] [--seed N]';

function number(name: string, value: string | undefined, fallback: number, max: number, integer = false): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > max || (integer && !Number.isInteger(n))) {
    console.error(`--${name} must be a ${integer ? 'whole ' : ''}number from 0 to ${max}, got ${JSON.stringify(value)}\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

let values;
try {
  ({ values } = parseArgs({
    options: { port: { type: 'string' }, latency: { type: 'string' }, jitter: { type: 'string' }, faults: { type: 'string' }, seed: { type: 'string' } },
  }));
} catch (e) {
  console.error(`${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}
const latency = number('latency', values.latency, 0, 60_000);
// A total fault probability, shared out over the network-like faults.
const p = number('faults', values.faults, 0, 1);
const apps = demoApps(number('seed', values.seed, 2024, 2 ** 32 - 1, true));
const emulator = await startEmulator({
  apps,
  port: number('port', values.port, 5080, 65535, true),
  latencyMs: latency,
  jitterMs: number('jitter', values.jitter, latency / 2, 60_000),
  faults: { p10002: p * 0.4, p502: p * 0.3, pReset: p * 0.15, pTruncated: p * 0.15 },
});

process.stdout.write(
  [
    `Tencent Cloud IM emulator listening at ${emulator.url}`,
    `  SDKAppID:   ${DEMO_SDKAPPID}`,
    `  Admin:      ${DEMO_ADMIN}`,
    `  SecretKey:  ${DEMO_SECRET_KEY}   (public demo key, valid only here)`,
    `  Groups:     ${apps[0]!.groups.map((g) => g.groupId).join(', ')}`,
    'Press Ctrl+C to stop.',
    '',
  ].join('\n'),
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void emulator.close().then(() => process.exit(0)));
}
