// The validated handler wrapper, for every operation: a valid argument reaches the implementation as a clean copy;
// anything else is refused with 'invalid-argument' and never reaches it; foreign senders are refused first.
import { describe, expect, it } from 'vitest';
import { handle, type HandlerOptions, type Implementation, type IpcMainLike, registerHandlers } from '../../app/electron/handlers';
import { APP_URL } from '../../app/electron/security';
import { type ArgsOf, channel, type Operation, OPERATIONS } from '../../app/ipc/contract';
import { invokeEvent } from './stub';

/** One valid argument list per operation (the record type makes the table complete). */
const VALID: { [K in Operation]: ArgsOf<K> } = {
  listProfiles: [],
  saveProfile: [{ profile: { name: '客户 App', endpoint: 'singapore', sdkAppId: 1400123456, admin: 'administrator', rate: 180, archivePath: '/srv/archives/Community.TimBackup', retentionDays: 30, schedule: { kind: 'daily', at: '02:30' } }, previousName: 'Old' }],
  deleteProfile: [{ profile: 'p' }],
  setSecretKey: [{ profile: 'p', secretKey: 'k'.repeat(64) }],
  hasSecretKey: [{ profile: 'p' }],
  deleteSecretKey: [{ profile: 'p' }],
  testConnection: [{ profile: { name: 'p', endpoint: 'https://proxy.example.com/tim', sdkAppId: 1, admin: 'a', rate: 1, archivePath: '/data/a.sqlite' }, secretKey: 'k' }],
  startDemo: [],
  listGroups: [{ profile: 'p', source: 'archive' }],
  coverage: [{ profile: 'p', groupId: '@TGS#_@TGS#cX', topicId: '@TGS#_@TGS#cX@TOPIC#_a' }],
  startBackup: [{ profile: 'p', groups: [{ groupId: 'g1' }, { groupId: 'g2', topicId: 't' }] }],
  cancelBackup: [{ profile: 'p' }],
  fetchMissing: [{ profile: 'p', groupId: 'g' }],
  retryRun: [{ profile: 'p', runId: 12 }],
  estimate: [{ profile: 'p', groups: [] }],
  overview: [{ profile: 'p' }],
  runHistory: [{ profile: 'p', before: 40, limit: 20 }],
  scheduledProfiles: [],
  members: [{ profile: 'p', groupId: '@TGS#_@TGS#cX', topicId: '@TGS#_@TGS#cX@TOPIC#_a' }],
  people: [{ profile: 'p' }],
  search: [{ profile: 'p', query: '你好 "a b" -c NEAR/2 \'; DROP TABLE messages; --', filter: { groupIds: ['g'], senders: ['u'], since: 0, until: 1_800_000_000, kinds: ['text', 'recalled'] }, order: 'oldest', after: 'opaque', limit: 50 }],
  context: [{ profile: 'p', groupId: 'g', seq: 5, before: 0, after: 200 }],
  readPage: [{ profile: 'p', groupId: 'g', anchor: { at: 'time', time: 1_700_000_000 }, direction: 'around', limit: 100, exclusive: true }],
  export: [{ profile: 'p', format: 'html', out: 'C:\\Users\\me\\Export', filter: {}, lang: 'zh-CN', timeZone: 'Asia/Shanghai', media: 'none' }],
  runningTasks: [{ profile: 'p' }],
  chooseFolder: [{ title: 'Export to', kind: 'file', defaultName: 'all.csv' }],
  showInFolder: [{ path: '/home/me/export/index.html' }],
  openPath: [{ path: 'D:\\Exports\\2026\\index.html' }],
  openExternal: [{ url: 'https://example.com/' }],
  saveMedia: [{ sha256: 'ab'.repeat(32), name: '报告.pdf' }],
  showMedia: [{ sha256: 'ab'.repeat(32) }],
  appInfo: [],
  setLanguage: [{ lang: 'system' }],
};

/** Arguments every operation must refuse. */
const ALWAYS_BAD: unknown[][] = [[42], ['text'], [null], [[]], [{ profile: 'p', extra: 1 }], [{}, {}]];

/** Per operation, arguments that are wrong only in one field. */
const BAD: Partial<Record<Operation, unknown[]>> = {
  saveProfile: [
    { profile: { name: '', endpoint: 'singapore', sdkAppId: 1, admin: 'a', rate: 1 } },
    { profile: { name: ' padded ', endpoint: 'singapore', sdkAppId: 1, admin: 'a', rate: 1 } },
    { profile: { name: 'p', endpoint: 'singapore', sdkAppId: 0, admin: 'a', rate: 1 } },
    { profile: { name: 'p', endpoint: 'singapore', sdkAppId: 1.5, admin: 'a', rate: 1 } },
    { profile: { name: 'p', endpoint: 'singapore', sdkAppId: 1, admin: 'a', rate: 201 } },
    { profile: { name: 'p', endpoint: 'singapore', sdkAppId: 1, admin: 'a', rate: 1, archivePath: 'relative/a.sqlite' } },
    ...['/home/me/archives/', '/home/me/notes.docx', '/home/me/export/index.html'].map((archivePath) => ({ profile: { name: 'p', endpoint: 'singapore', sdkAppId: 1, admin: 'a', rate: 1, archivePath } })),
    { profile: { name: 'p\u0000', endpoint: 'singapore', sdkAppId: 1, admin: 'a', rate: 1 } },
    { profile: { name: 'x'.repeat(65), endpoint: 'singapore', sdkAppId: 1, admin: 'a', rate: 1 } },
    { profile: { name: 'p', endpoint: 'singapore', sdkAppId: 1, admin: 'a', rate: 1, demo: true } },
    ...[0, 7.5, 3651].map((retentionDays) => ({ profile: { name: 'p', endpoint: 'singapore', sdkAppId: 1, admin: 'a', rate: 1, retentionDays } })),
    ...[{ kind: 'interval', hours: 0 }, { kind: 'interval', hours: 721 }, { kind: 'daily', at: '24:00' }, { kind: 'daily', at: '2:30' }, { kind: 'weekly', at: '02:30' }, { kind: 'daily', at: '02:30', hours: 1 }].map((schedule) => ({
      profile: { name: 'p', endpoint: 'singapore', sdkAppId: 1, admin: 'a', rate: 1, schedule },
    })),
    ...['tokyo-2', 'ftp://example.com', 'https://proxy.example.com/tim?key=1', 'https://user:pw@proxy.example.com', 'https://'].map((endpoint) => ({ profile: { name: 'p', endpoint, sdkAppId: 1, admin: 'a', rate: 1 } })),
  ],
  setSecretKey: [{ profile: 'p', secretKey: '' }, { profile: 'p', secretKey: 7 }, { profile: 'p', secretKey: 'k'.repeat(1025) }],
  listGroups: [{ profile: 'p', source: 'both' }, { profile: 'p' }],
  startBackup: [
    { profile: 'p', groups: 'all' },
    { profile: 'p', groups: [{ groupId: '' }] },
    { profile: 'p', groups: [{ groupId: 'g', priority: 1 }] },
    // Only the command line records runs as its own.
    { profile: 'p', groups: [], trigger: 'cli' },
  ],
  retryRun: [{ profile: 'p', runId: 0 }, { profile: 'p', runId: 1.5 }, { profile: 'p' }],
  estimate: [{ profile: 'p' }, { profile: 'p', groups: [{ groupId: 'g', topicId: 't' }] }],
  members: [{ profile: 'p' }, { profile: 'p', groupId: '' }, { profile: 'p', groupId: 'g', account: 'u1' }],
  people: [{}, { profile: '' }, { profile: 'p', groupId: 'g' }],
  runHistory: [{ profile: 'p', limit: 0 }, { profile: 'p', limit: 501 }, { profile: 'p', limit: 5, before: 0 }],
  search: [
    { profile: 'p', query: 'a', filter: {}, order: 'newest', limit: 0 },
    { profile: 'p', query: 'a', filter: {}, order: 'newest', limit: 201 },
    { profile: 'p', query: 'a'.repeat(1001), filter: {}, order: 'newest', limit: 5 },
    { profile: 'p', query: 'a', filter: { kinds: ['sticker'] }, order: 'newest', limit: 5 },
    { profile: 'p', query: 'a', filter: { since: -1 }, order: 'newest', limit: 5 },
    { profile: 'p', query: 'a', filter: {}, order: 'random', limit: 5 },
    { profile: 'p', query: '\ud800', filter: {}, order: 'newest', limit: 5 },
  ],
  readPage: [
    { profile: 'p', groupId: 'g', anchor: { at: 'seq' }, direction: 'after', limit: 5 },
    { profile: 'p', groupId: 'g', anchor: { at: 'seq', seq: 0 }, direction: 'after', limit: 5 },
    { profile: 'p', groupId: 'g', anchor: { at: 'page', seq: 1 }, direction: 'after', limit: 5 },
    { profile: 'p', groupId: 'g', anchor: { at: 'newest', seq: 1 }, direction: 'after', limit: 5 },
    { profile: 'p', groupId: 'g', anchor: { at: 'newest' }, direction: 'after', limit: 501 },
  ],
  context: [{ profile: 'p', groupId: 'g', seq: 1, before: 201, after: 0 }],
  export: [
    { profile: 'p', format: 'pdf', out: '/x', filter: {}, lang: 'en' },
    { profile: 'p', format: 'csv', out: 'x.csv', filter: {}, lang: 'en' },
    { profile: 'p', format: 'csv', out: '/x.csv', filter: {}, lang: 'fr' },
    { profile: 'p', format: 'csv', out: '/x.csv', filter: {}, lang: 'en', timeZone: 'Asia/Shanghai; rm -rf' },
    // The export's media choice is the CLI's: copy or none (a backup's all/thumbnails mean nothing here).
    { profile: 'p', format: 'html', out: '/x', filter: {}, lang: 'en', media: 'thumbnails' },
    { profile: 'p', format: 'html', out: '/x', filter: {}, lang: 'en', media: true },
  ],
  showInFolder: [{ path: '../etc/passwd' }],
  openPath: [{ path: 'index.html' }, { path: '' }, { path: '/home/me/export/index.html', reveal: true }],
  setLanguage: [{ lang: 'fr' }, { lang: 'zh' }, { lang: '' }, {}],
  // Media are named by their content only: never a path, never an upper-case or short hash.
  saveMedia: [{ sha256: '../archive.sqlite' }, { sha256: 'AB'.repeat(32) }, { sha256: 'ab'.repeat(31) }, { sha256: 'ab'.repeat(32), path: '/tmp/x' }, { sha256: 'ab'.repeat(32), name: 7 }],
  showMedia: [{ sha256: '/home/me/.ssh/id_rsa' }, { sha256: 'ab'.repeat(32), name: 'x' }],
  runningTasks: [{ profile: '' }, { profile: 'p', exportId: 'x' }],
  chooseFolder: [{ title: 'x', kind: 'anything' }],
};

function recorder() {
  const received: { op: string; args: unknown[] }[] = [];
  const impl = Object.fromEntries(OPERATIONS.map((op) => [op, async (...args: unknown[]) => (received.push({ op, args }), { ok: true, value: op })])) as unknown as Implementation;
  const logs: string[] = [];
  const opts: HandlerOptions = { isAppContents: (id) => id === 1, log: (l) => logs.push(l) };
  return { impl, received, opts, logs };
}

const fromApp = () => invokeEvent(APP_URL, 1);

describe('every operation has a validated handler', () => {
  it('registers exactly one per operation', () => {
    const channels: string[] = [];
    const ipc: IpcMainLike = { handle: (c) => void channels.push(c) };
    const { impl, opts } = recorder();
    registerHandlers(ipc, impl, opts);
    expect(channels.sort()).toEqual(OPERATIONS.map(channel.operation).sort());
  });

  it.each(OPERATIONS)('%s: a valid argument reaches the implementation as a clean copy', async (op) => {
    const { impl, received, opts } = recorder();
    const args = VALID[op] as unknown[];
    expect(await handle(op, impl, opts, fromApp(), structuredClone(args))).toEqual({ ok: true, value: op });
    expect(received).toEqual([{ op, args }]);
    if (args[0] !== undefined) expect(received[0]!.args[0]).not.toBe(args[0]);
  });

  it.each(OPERATIONS)('%s: invalid arguments are refused and never reach the implementation', async (op) => {
    const { impl, received, opts } = recorder();
    for (const bad of [...ALWAYS_BAD, ...(BAD[op] ?? []).map((a) => [a])]) {
      const r = await handle(op, impl, opts, fromApp(), bad);
      expect(r, JSON.stringify(bad)).toMatchObject({ ok: false, error: { kind: 'invalid-argument', message: expect.stringMatching(new RegExp(`^${op}: `)) } });
    }
    // A no-argument operation also refuses an argument; the others refuse none.
    const wrongCount = (VALID[op] as unknown[]).length === 0 ? [{}] : [];
    expect(await handle(op, impl, opts, fromApp(), wrongCount)).toMatchObject({ ok: false, error: { kind: 'invalid-argument' } });
    expect(received).toEqual([]);
  });

  it('explains a refused archive file in words a person can act on', async () => {
    const { impl, opts } = recorder();
    const save = (archivePath: string) => handle('saveProfile', impl, opts, fromApp(), [{ profile: { name: 'p', endpoint: 'singapore', sdkAppId: 1, admin: 'a', rate: 1, archivePath } }]);
    expect(await save('/home/me/archives/')).toMatchObject({ error: { message: 'saveProfile: profile.archivePath: the archive file “/home/me/archives/” names a folder: add a file name, such as /home/me/archives/tim-backup.sqlite.' } });
    expect(await save('/home/me/notes.docx')).toMatchObject({
      error: { message: 'saveProfile: profile.archivePath: the archive file “notes.docx” ends in .docx, which is not an archive\'s: use a name ending in .sqlite, .sqlite3, .db, .timbackup, or no extension.' },
    });
    for (const fine of ['/home/me/tim.DB', '/home/me/tim-archive', '/home/me/v1.2/archive.sqlite3']) expect(await save(fine), fine).toMatchObject({ ok: true });
  });

  it('refuses a prototype-polluting argument and keeps no inherited keys', async () => {
    const { impl, received, opts } = recorder();
    const polluted = JSON.parse('{"profile":"p","__proto__":{"isAdmin":true}}');
    expect(await handle('hasSecretKey', impl, opts, fromApp(), [polluted])).toMatchObject({ ok: false, error: { kind: 'invalid-argument' } });
    const inherited = Object.create({ profile: 'p' });
    expect(await handle('hasSecretKey', impl, opts, fromApp(), [inherited])).toMatchObject({ ok: false, error: { kind: 'invalid-argument' } });
    expect(received).toEqual([]);
  });

  it('refuses foreign senders before looking at the arguments, and logs the refusal', async () => {
    const { impl, received, opts, logs } = recorder();
    for (const event of [invokeEvent(APP_URL, 1, { subFrame: true }), invokeEvent('https://evil.example/', 1), invokeEvent(APP_URL, 2)]) {
      expect(await handle('deleteProfile', impl, opts, event, [{ profile: 'p' }])).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
      expect(await handle('deleteProfile', impl, opts, event, [42])).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    }
    expect(received).toEqual([]);
    expect(logs.every((l) => l.startsWith('refused deleteProfile'))).toBe(true);
  });

  it('turns an unexpected exception into an internal error without its details', async () => {
    const { impl, opts, logs } = recorder();
    (impl as unknown as Record<string, unknown>).appInfo = async () => {
      throw new Error('secret detail at /home/me');
    };
    const r = await handle('appInfo', impl, opts, fromApp(), []);
    expect(r).toMatchObject({ ok: false, error: { kind: 'internal' } });
    expect(JSON.stringify(r)).not.toContain('secret detail');
    expect(logs.some((l) => l.includes('secret detail'))).toBe(true);
  });
});
