// URLs come from chat content: each hostile one is refused, with its reason recorded, before any connection is
// made to where it points; redirects are followed at most 5 times and each hop is checked again; file names are
// never paths. Real archive, real downloader, the emulator on 127.0.0.1 for the redirects.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Archive } from '../../app/archive';
import type { MsgElem } from '../../app/im/wire';
import { classify, isLoopbackEndpoint } from '../../app/media/address';
import { MediaDownloader } from '../../app/media/downloader';
import { mediaFolder } from '../../app/media/model';
import { msg } from '../archive/helpers';
import { FAST_MEDIA, expectStoreExact, mediaRows, policy, setup, tempFolder } from './harness';

function file(uuid: string, url: string, name = 'report.pdf'): MsgElem {
  return { MsgType: 'TIMFileElem', MsgContent: { Url: url, UUID: uuid, FileSize: 1000, FileName: name, Download_Flag: 2 } };
}

async function downloadAll(archive: Archive, allowLoopback: boolean, resolve?: (host: string) => Promise<{ address: string; family: 4 | 6 }[]>) {
  const d = new MediaDownloader({ archive, policy: policy(), allowLoopback, freeBytes: async () => 1e15, ...FAST_MEDIA, ...(resolve ? { resolve } : {}) });
  return d.finish();
}

describe('hostile media URLs', () => {
  it('refuses other schemes, private, link-local and unspecified addresses, credentials in URLs, and names that resolve into a private network', async () => {
    const dir = await tempFolder();
    const archive = await Archive.open(join(dir, 'a.sqlite'), { create: true });
    const cases: [string, string, string][] = [
      ['file', 'file:///etc/passwd', 'refused-scheme: file'],
      ['ftp', 'ftp://ftp.example.com/x.zip', 'refused-scheme: ftp'],
      ['js', 'javascript:alert(1)', 'refused-scheme: javascript'],
      ['data', 'data:text/html,<script>alert(1)</script>', 'refused-scheme: data'],
      ['ten', 'http://10.0.0.1/x', 'refused-address: 10.0.0.1 is a private address'],
      ['lan', 'https://192.168.1.1/admin', 'refused-address: 192.168.1.1 is a private address'],
      ['corp', 'http://172.16.5.4/', 'refused-address: 172.16.5.4 is a private address'],
      ['metadata', 'http://169.254.169.254/latest/meta-data/', 'refused-address: 169.254.169.254 is a link-local address'],
      ['v6-link', 'http://[fe80::1]/x', 'refused-address: fe80::1 is a link-local address'],
      ['v6-ula', 'http://[fd00::1]/x', 'refused-address: fd00::1 is a private address'],
      ['mapped', 'http://[::ffff:10.0.0.1]/x', 'refused-address: ::ffff:a00:1 is a private address'],
      ['zero', 'http://0.0.0.0:8080/', 'refused-address: 0.0.0.0 is an unspecified address'],
      ['creds', 'http://user:secret@cdn.example.com/x', 'refused-url: the URL carries a user name or password'],
      ['dns', 'https://evil.example.com/x', 'refused-address: evil.example.com resolves to 10.9.8.7 is a private address'],
      ['garbage', 'not a url at all', 'refused-url: not a valid URL'],
    ];
    archive.storeWindow(archive.upsertGroup({ sdkAppId: 1, groupId: 'g', newestSeq: cases.length }), 1, cases.length, cases.map(([id, url], i) => msg(i + 1, [file(id, url, '../../../../etc/cron.d/evil')])), archive.beginRun({}));
    const resolved: string[] = [];
    const summary = await downloadAll(archive, true, async (host) => {
      resolved.push(host);
      return [{ address: '10.9.8.7', family: 4 }];
    });
    const rows = mediaRows(archive);
    for (const [id, , reason] of cases) {
      expect(rows.get(`${id}:file`)!.state, id).toBe('failed');
      expect(rows.get(`${id}:file`)!.lastError, id).toBe(reason);
    }
    expect(summary.failed).toBe(cases.length);
    // Only the one name was looked up; nothing was written anywhere, by name or otherwise.
    expect(resolved).toEqual(['evil.example.com']);
    expect(await readdir(join(mediaFolder(archive.path), 'tmp'))).toEqual([]);
    expect((await readdir(mediaFolder(archive.path))).sort()).toEqual(['tmp']);
    await archive.close();
  });

  it('refuses loopback (by address or by name) unless the API endpoint itself is on loopback', async () => {
    const { emulator, archive, backup } = await setup([{ groupId: 'g', messages: 40, seed: 71, media: { maxBytes: 5000 } }]);
    await backup(['g'], null);
    const local = await downloadAll(archive, false);
    expect(local.stored).toBe(0);
    const rows = [...mediaRows(archive).values()].filter((r) => r.state !== 'no-url');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.lastError).toBe('refused-address: 127.0.0.1 is a loopback address');
    expect(emulator.media.counters().requests).toBe(0);
    // Under another name the check is the same: the name is resolved and its address checked.
    const d2 = await tempFolder();
    const other = await Archive.open(join(d2, 'b.sqlite'), { create: true });
    other.storeWindow(other.upsertGroup({ sdkAppId: 1, groupId: 'g', newestSeq: 1 }), 1, 1, [msg(1, [file('named', emulator.media.signedUrl(rows[0]!.key).replace('127.0.0.1', 'localhost'))])], other.beginRun({}));
    await downloadAll(other, false);
    expect(mediaRows(other).get('named:file')!.lastError).toMatch(/^refused-address: localhost resolves to (127\.0\.0\.1|::1) is a loopback address$/);
    await other.close();
    expect(isLoopbackEndpoint(emulator.url)).toBe(true);
    expect(isLoopbackEndpoint('https://adminapisgp.im.qcloud.com')).toBe(false);
    expect(classify('8.8.8.8')).toBe('public');
    // With the endpoint on loopback, the same media download.
    await downloadAll(archive, true);
    await expectStoreExact(archive, emulator);
    expect([...mediaRows(archive).values()].filter((r) => r.state !== 'no-url').every((r) => r.state === 'stored')).toBe(true);
  });

  it('follows up to 5 redirects, refuses the 6th, and checks every hop (a redirect into the link-local network is refused)', async () => {
    const { emulator, archive, backup } = await setup([{ groupId: 'g', messages: 40, seed: 72, media: { maxBytes: 5000 } }]);
    await backup(['g'], null);
    const [five, six, sneaky] = [...mediaRows(archive).values()].filter((r) => r.state === 'pending');
    emulator.media.setFaultsFor(five!.key, { redirects: 5 });
    emulator.media.setFaultsFor(six!.key, { redirects: 6 });
    const dir = await tempFolder();
    const hop = await Archive.open(join(dir, 'hop.sqlite'), { create: true });
    hop.storeWindow(hop.upsertGroup({ sdkAppId: 1, groupId: 'g', newestSeq: 1 }), 1, 1, [msg(1, [file('hop', emulator.media.redirectTo('http://169.254.169.254/latest/meta-data/'))])], hop.beginRun({}));
    await downloadAll(hop, true);
    expect(mediaRows(hop).get('hop:file')!.lastError).toBe('refused-address: 169.254.169.254 is a link-local address');
    await hop.close();

    await downloadAll(archive, true);
    const rows = await expectStoreExact(archive, emulator);
    expect(rows.get(five!.key)!.state).toBe('stored');
    expect(rows.get(six!.key)!.state).toBe('failed');
    expect(rows.get(six!.key)!.lastError).toBe('too-many-redirects: 5');
    expect(rows.get(sneaky!.key)!.state).toBe('stored');
  });
});
