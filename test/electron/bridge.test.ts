// What the preload exposes: one function per operation on its own channel, one subscription per event that hands
// the listener the payload only (never Electron's event, which carries the sender) and returns an unsubscribe.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { buildApi } from '../../app/electron/bridge';
import { channel, EVENTS, OPERATIONS, subscriptionName } from '../../app/ipc/contract';

function fakeIpc() {
  const bus = new EventEmitter();
  const invoked: unknown[][] = [];
  return {
    bus,
    invoked,
    ipc: {
      invoke: async (ch: string, ...args: unknown[]) => (invoked.push([ch, ...args]), { ok: true, value: ch }),
      on: (ch: string, l: (e: unknown, p: unknown) => void) => bus.on(ch, l),
      removeListener: (ch: string, l: (e: unknown, p: unknown) => void) => bus.removeListener(ch, l),
    },
  };
}

describe('window.api', () => {
  it('has exactly one function per operation and one subscription per event — and no ipcRenderer', () => {
    const api = buildApi(fakeIpc().ipc);
    expect(Object.keys(api).sort()).toEqual([...OPERATIONS, ...EVENTS.map(subscriptionName)].sort());
    for (const v of Object.values(api)) expect(typeof v).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('invokes each operation on its own channel with the argument as given', async () => {
    const { ipc, invoked } = fakeIpc();
    const api = buildApi(ipc);
    expect(await api.listProfiles()).toEqual({ ok: true, value: channel.operation('listProfiles') });
    await api.search({ profile: 'p', query: '你好', filter: {}, order: 'newest', limit: 5 });
    expect(invoked).toEqual([[channel.operation('listProfiles')], [channel.operation('search'), { profile: 'p', query: '你好', filter: {}, order: 'newest', limit: 5 }]]);
  });

  it('hands listeners the payload only, and unsubscribes', () => {
    const { ipc, bus } = fakeIpc();
    const api = buildApi(ipc);
    const got: unknown[][] = [];
    const off = api.onBackupDone((...args: unknown[]) => got.push(args));
    const payload = { profile: 'p', backupId: 'b', summary: {} };
    bus.emit(channel.event('backupDone'), { sender: 'electron event object' }, payload);
    off();
    bus.emit(channel.event('backupDone'), {}, payload);
    expect(got).toEqual([[payload]]);
    expect(bus.listenerCount(channel.event('backupDone'))).toBe(0);
    expect(() => api.onExportDone('not a function' as never)).toThrow(TypeError);
  });
});
