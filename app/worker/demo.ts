// "Try the demo": the local emulator of Tencent's API (test/emulator, the same one every test and `npm run demo`
// uses) started inside the worker, with its sample groups and public demo key. It is loaded only when the demo is
// asked for, and the demo profile finds it again after a restart of the app by starting it anew.

import type { Emulator } from '../../test/emulator';

export interface RunningDemo {
  url: string;
  sdkAppId: number;
  admin: string;
  /** The emulator's public demo key: it opens nothing but this emulator. */
  secretKey: string;
}

export class Demo {
  private starting?: Promise<{ emulator: Emulator; demo: RunningDemo }>;

  ensure(): Promise<RunningDemo> {
    this.starting ??= (async () => {
      const { DEMO_ADMIN, DEMO_SDKAPPID, DEMO_SECRET_KEY, demoApps, startEmulator } = await import('../../test/emulator');
      // A little latency and the odd fault, as from a real network, so the progress and retries are visible.
      const emulator = await startEmulator({ apps: demoApps(), latencyMs: 40, jitterMs: 20, faults: { p10002: 0.005, p502: 0.005 } });
      return { emulator, demo: { url: emulator.url, sdkAppId: DEMO_SDKAPPID, admin: DEMO_ADMIN, secretKey: DEMO_SECRET_KEY } };
    })();
    this.starting.catch(() => (this.starting = undefined));
    return this.starting.then((s) => s.demo);
  }

  async close(): Promise<void> {
    const s = this.starting;
    this.starting = undefined;
    if (s) await (await s).emulator.close();
  }
}
