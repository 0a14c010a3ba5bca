// The emulator's media: real bytes at each element's URL, as many as declared, signed URLs that change between
// answers and are checked, expiry with the group's retention, and the faults the downloader must survive.

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupMsg } from '../../app/im/wire';
import { mediaRefsOf } from '../../app/media/model';
import { type Emulator, startEmulator } from './index';
import { LONGER_BY } from './media';
import { rawCall } from './raw-call';

const APP = { sdkAppId: 1400000131, secretKey: 'emulator-media-secret', admins: ['administrator'] };
const CREDS = { sdkAppId: APP.sdkAppId, identifier: 'administrator', secretKey: APP.secretKey };
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ apps: [{ ...APP, groups: [{ groupId: 'm', messages: 100, seed: 5, media: { maxBytes: 150_000 } }] }] });
});
afterAll(() => emu?.close());

async function messages(hi = 100): Promise<GroupMsg[]> {
  const r = await rawCall(emu.url, 'group_msg_get_simple', { GroupId: 'm', ReqMsgNumber: 20, ReqMsgSeq: hi }, CREDS);
  return r.json.RspMsgList as GroupMsg[];
}

describe('emulated media', () => {
  it('serves at each URL exactly the declared bytes, on the API host, signed afresh in every answer', async () => {
    const refs = (await messages()).flatMap(mediaRefsOf).filter((r) => r.url);
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) {
      expect(ref.url!.startsWith(`${emu.url}/media/`)).toBe(true);
      const res = await fetch(ref.url!);
      expect(res.status).toBe(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.length).toBe(ref.declaredSize);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(emu.media.truth(ref.key)!.sha256());
    }
    const again = (await messages()).flatMap(mediaRefsOf).filter((r) => r.url);
    expect(again.map((r) => r.key)).toEqual(refs.map((r) => r.key));
    for (let i = 0; i < refs.length; i++) {
      expect(again[i]!.url).not.toBe(refs[i]!.url);
      expect(again[i]!.url!.split('?')[0]).toBe(refs[i]!.url!.split('?')[0]);
    }
  });

  it('answers 403 to a missing, wrong or tampered signature, and 404 once the message is past retention', async () => {
    const ref = (await messages(40)).flatMap(mediaRefsOf).find((r) => r.url)!;
    const url = new URL(ref.url!);
    const bad = (edit: (q: URLSearchParams) => void) => {
      const u = new URL(url);
      edit(u.searchParams);
      return fetch(u).then((r) => r.status);
    };
    expect(await bad((q) => q.delete('sign'))).toBe(403);
    expect(await bad((q) => q.set('sign', '0'.repeat(32)))).toBe(403);
    expect(await bad((q) => q.set('t', String(Number(q.get('t')) + 1)))).toBe(403);
    expect(await bad((q) => q.set('extra', '1'))).toBe(403);
    expect((await fetch(`${url.origin}${url.pathname}`)).status).toBe(403);
    expect((await fetch(url)).status).toBe(200);
    emu.group(APP.sdkAppId, 'm').setRetentionEdge(41);
    expect((await fetch(url)).status).toBe(404);
    expect(emu.media.truth(ref.key)!.expired()).toBe(true);
    emu.group(APP.sdkAppId, 'm').setRetentionEdge(1);
  });

  it('injects 5xx, resets, longer bodies and redirect chains, and limits the bandwidth', async () => {
    const ref = (await messages()).flatMap(mediaRefsOf).filter((r) => r.url).sort((a, b) => b.declaredSize - a.declaredSize)[0]!;
    emu.media.setFaultsFor(ref.key, { p5xx: 1 });
    expect((await fetch(emu.media.signedUrl(ref.key))).status).toBe(503);
    emu.media.setFaultsFor(ref.key, { pReset: 1 });
    await expect(fetch(emu.media.signedUrl(ref.key)).then((r) => r.arrayBuffer())).rejects.toThrow();
    emu.media.setFaultsFor(ref.key, { pLonger: 1 });
    const longer = await fetch(emu.media.signedUrl(ref.key));
    expect(longer.headers.get('content-length')).toBeNull();
    expect((await longer.arrayBuffer()).byteLength).toBe(ref.declaredSize + LONGER_BY);
    emu.media.setFaultsFor(ref.key, { redirects: 3 });
    const hops: number[] = [];
    let next = emu.media.signedUrl(ref.key);
    for (;;) {
      const r = await fetch(next, { redirect: 'manual' });
      hops.push(r.status);
      if (r.status !== 302) break;
      next = new URL(r.headers.get('location')!, next).toString();
    }
    expect(hops).toEqual([302, 302, 302, 200]);
    emu.media.setFaultsFor(ref.key, undefined);
    const to = await fetch(emu.media.redirectTo('http://169.254.169.254/'), { redirect: 'manual' });
    expect(to.headers.get('location')).toBe('http://169.254.169.254/');
    // The limit is shared by every download: two at once take as long as their bytes at that rate.
    const rate = 400_000;
    emu.media.setBandwidth(rate);
    const started = performance.now();
    await Promise.all([1, 2].map(() => fetch(emu.media.signedUrl(ref.key)).then((r) => r.arrayBuffer())));
    const seconds = (performance.now() - started) / 1000;
    emu.media.setBandwidth(undefined);
    expect(seconds).toBeGreaterThanOrEqual(((2 * ref.declaredSize) / rate) * 0.9);
  });
});
