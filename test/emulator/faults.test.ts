// Latency and network faults: each one really happens, only to requests that passed the checks, and is counted.

import { Agent, request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Creds, pathOf, rawCall, tencentSig } from './raw-call';
import { type Emulator, startEmulator } from './index';

const C: Creds = { sdkAppId: 1400000601, identifier: 'admin', secretKey: 'fault-key' };
const BODY = { GroupId: 'g', ReqMsgNumber: 20 };
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ apps: [{ sdkAppId: C.sdkAppId, secretKey: C.secretKey, admins: ['admin'], groups: [{ groupId: 'g', messages: 100, seed: 1, longShare: 0 }] }] });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.setFaults({});
  emu.setLatency(0);
  emu.resetCounters();
});

const read = (c: Creds = C) => rawCall(emu.url, 'group_msg_get_simple', BODY, c);

/** The raw HTTP exchange, to see exactly what came over the wire (or that the connection died). */
function exchange(agent: Agent | false = false): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer; reused: boolean } | { error: string }> {
  const q = new URLSearchParams({ sdkappid: String(C.sdkAppId), identifier: C.identifier, usersig: tencentSig(C), random: '7', contenttype: 'json' });
  return new Promise((resolve) => {
    const req = request(`${emu.url}/${pathOf('group_msg_get_simple')}?${q}`, { method: 'POST', agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks), reused: req.reusedSocket }));
      res.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
    });
    req.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.end(JSON.stringify(BODY));
  });
}

describe('faults', () => {
  it('10002: a FAIL envelope', async () => {
    emu.setFaults({ p10002: 1 });
    const r = await read();
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 10002 });
    expect(emu.counters().apis.group_msg_get_simple?.faults['10002']).toBe(1);
    expect(emu.counters().apis.group_msg_get_simple?.codes).toEqual({ 10002: 1 });
  });

  it('502: an HTML page from the gateway', async () => {
    emu.setFaults({ p502: 1 });
    const r = await read();
    expect(r.status).toBe(502);
    expect(r.text).toMatch(/<html>[\s\S]*502 Bad Gateway/);
    expect(emu.counters().total.faults['502']).toBe(1);
  });

  it('reset: the connection dies in the middle of the body', async () => {
    emu.setFaults({ pReset: 1 });
    const r = await exchange();
    expect(r).toHaveProperty('error');
    await expect(read()).rejects.toThrow();
    expect(emu.counters().total.faults.reset).toBe(2);
  });

  it('truncated: status 200, a consistent Content-Length, and JSON that does not parse', async () => {
    emu.setFaults({ pTruncated: 1 });
    const r = await exchange();
    if ('error' in r) throw new Error(r.error);
    expect(r.status).toBe(200);
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    expect(r.body.toString()).toMatch(/^\{"ActionStatus":"OK"/);
    expect(() => JSON.parse(r.body.toString())).toThrow();
  });

  it('slow: the answer comes slowMs late', async () => {
    emu.setFaults({ pSlow: 1, slowMs: 300 });
    const t = performance.now();
    expect((await read()).json['ErrorCode']).toBe(0);
    expect(performance.now() - t).toBeGreaterThanOrEqual(290);
    expect(emu.counters().total.faults.slow).toBe(1);
  });

  it('spares requests that fail the checks: those answer their own code', async () => {
    emu.setFaults({ p502: 1, pReset: 1 });
    const r = await read({ ...C, secretKey: 'wrong' });
    expect(r.status).toBe(200);
    expect(r.json['ErrorCode']).toBe(70009);
  });

  it('mixes faults by probability', async () => {
    emu.setFaults({ p10002: 0.3, p502: 0.3 });
    const results = await Promise.all(Array.from({ length: 30 }, () => read()));
    const c = emu.counters().total;
    expect(c.faults['10002'] + c.faults['502']).toBe(results.filter((r) => r.status === 502 || r.json['ErrorCode'] === 10002).length);
    expect(c.faults['10002']).toBeGreaterThan(0);
    expect(c.faults['502']).toBeGreaterThan(0);
    expect(c.codes['0']).toBeGreaterThan(0);
  });
});

describe('latency, keep-alive and counters', () => {
  it('delays each answer by latency ± jitter, keeps connections alive, and counts concurrency', async () => {
    emu.setLatency(150, 20);
    const t = performance.now();
    const agent = new Agent({ keepAlive: true });
    const [first] = await Promise.all(Array.from({ length: 8 }, () => exchange(agent)));
    expect(performance.now() - t).toBeGreaterThanOrEqual(125);
    if (!first || 'error' in first) throw new Error('no answer');
    expect(first.headers['connection']).toBe('keep-alive');
    const c = emu.counters();
    expect(c.apis.group_msg_get_simple?.maxInFlight).toBe(8);
    expect(c.total.requests).toBe(8);
    expect(c.total.peakPerSecond).toBe(8);
    expect(Object.values(c.total.perSecond).reduce((a, b) => a + b, 0)).toBe(8);
    emu.resetCounters();
    expect(emu.counters().total.requests).toBe(0);
    const again = await exchange(agent);
    expect(again).toMatchObject({ status: 200, reused: true });
    agent.destroy();
  });

  it('closes promptly even with a slow answer pending', async () => {
    const slow = await startEmulator({ apps: [{ sdkAppId: C.sdkAppId, secretKey: C.secretKey, admins: ['admin'], groups: [{ groupId: 'g', messages: 1 }] }], faults: { pSlow: 1, slowMs: 60_000 } });
    const pending = rawCall(slow.url, 'group_msg_get_simple', BODY, C).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const t = performance.now();
    await slow.close();
    expect(performance.now() - t).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
