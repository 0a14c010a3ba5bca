// Shared by the worker tests: an emulator with a few small groups, a scratch data folder, an in-memory keychain
// (the real one is covered by test/profiles/keychain.test.ts) and a recorder of the service's events.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventName, Events } from '../../app/ipc/contract';
import type { SecretStore } from '../../app/profiles/keychain';
import type { Emit } from '../../app/worker/protocol';
import { type Emulator, startEmulator } from '../emulator';

export const APP = { sdkAppId: 1400000042, secretKey: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2', admin: 'administrator' };
export const DISABLED_APP = { sdkAppId: 1400000043, secretKey: 'd'.repeat(64), admin: 'administrator' };

export class MemorySecrets implements SecretStore {
  readonly keys = new Map<string, string>();
  async get(profile: string) {
    return this.keys.get(profile);
  }
  async set(profile: string, key: string) {
    this.keys.set(profile, key);
  }
  async delete(profile: string) {
    return this.keys.delete(profile);
  }
}

export class EventLog {
  readonly seen: { name: EventName; payload: unknown }[] = [];
  private waiters: { match: (name: EventName, payload: unknown) => boolean; resolve: (payload: unknown) => void }[] = [];

  readonly emit: Emit = (name, payload) => {
    this.seen.push({ name, payload });
    this.waiters = this.waiters.filter((w) => !(w.match(name, payload) && (w.resolve(payload), true)));
  };

  /** The next (or an already seen) event of that name passing `where`. */
  next<K extends EventName>(name: K, where: (payload: Events[K]) => boolean = () => true): Promise<Events[K]> {
    const seen = this.seen.find((e) => e.name === name && where(e.payload as Events[K]));
    if (seen) return Promise.resolve(seen.payload as Events[K]);
    return new Promise((resolve) => this.waiters.push({ match: (n, p) => n === name && where(p as Events[K]), resolve: resolve as (p: unknown) => void }));
  }

  all<K extends EventName>(name: K): Events[K][] {
    return this.seen.filter((e) => e.name === name).map((e) => e.payload as Events[K]);
  }
}

export interface World {
  emulator: Emulator;
  dir: string;
  close(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const emulator = await startEmulator({
    apps: [
      {
        ...APP,
        admins: [APP.admin],
        groups: [
          { groupId: 'cn', type: 'Public', name: '产品讨论群', messages: 300, seed: 7, recalledShare: 0.05 },
          { groupId: 'en', type: 'Work', name: 'Engineering', messages: 200, seed: 8 },
          { groupId: 'big', type: 'Public', name: 'Big group', messages: 1500, seed: 9 },
          { groupId: 'live', type: 'AVChatRoom', name: 'Live room', messages: 0, seed: 10 },
        ],
      },
      { ...DISABLED_APP, admins: [DISABLED_APP.admin], groups: [], disabled: true },
    ],
  });
  const dir = await mkdtemp(join(tmpdir(), 'tim-worker-'));
  return {
    emulator,
    dir,
    async close() {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function profileInput(emulator: Emulator, over: Partial<{ name: string; sdkAppId: number; admin: string; rate: number; endpoint: string }> = {}) {
  return { name: 'Test app', endpoint: emulator.url, sdkAppId: APP.sdkAppId, admin: APP.admin, rate: 180, ...over };
}
