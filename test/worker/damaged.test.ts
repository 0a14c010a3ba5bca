// The desktop app and a damaged row (its checksum no longer matches, app/archive/checksum.ts): the reader shows
// it as damage, never as the message (the rows around it as usual); through the worker's operations, search marks
// the hit, an export counts it, and the next backup's summary says it was replaced.

import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Archive, rowsOf } from '../../app/archive';
import { readContext, readPage } from '../../app/worker/reader';
import { createService, type WorkerService } from '../../app/worker/service';
import { damageRow } from '../archive/damage';
import { deleted, onCleanup, tempDir, textMsg } from '../archive/helpers';
import { APP, EventLog, MemorySecrets, profileInput, startWorld, type World } from './helpers';

describe('the reader and damaged rows', () => {
  it('a damaged text, raw or placeholder row is shown as damaged, without its content', async () => {
    const path = join(await tempDir(), 'archive.sqlite');
    const writer = await Archive.open(path, { create: true });
    const gid = writer.upsertGroup({ sdkAppId: 1400000001, groupId: '@TGS#1READ' });
    writer.storeWindow(gid, 1, 4, [textMsg(1, 'hello there'), textMsg(2, 'keep the receipts'), deleted(textMsg(3, '')), textMsg(4, 'see you')], writer.beginRun());
    await writer.close();
    damageRow(path, gid, 1, 'text', ['hello', 'jello']);
    damageRow(path, gid, 2, 'raw', ['receipts', 'rec3ipts']);
    damageRow(path, gid, 3, 'state');
    const archive = await Archive.open(path, { readOnly: true });
    onCleanup(() => archive.close());
    const group = archive.groups()[0]!;

    const page = readPage(archive, group, { anchor: { at: 'oldest' }, direction: 'after', limit: 10 });
    expect(page.messages.map((m) => [m.seq, m.state, m.elements.length])).toEqual([
      [1, 'damaged', 0],
      [2, 'damaged', 0],
      [3, 'damaged', 0],
      [4, 'normal', 1],
    ]);
    expect(JSON.stringify(page.messages)).not.toMatch(/rec3ipts|receipts|hello|jello/);
    expect(JSON.stringify(page.messages[3])).toContain('see you');
    expect(readContext(archive, group, 2, 0, 0).messages.map((m) => [m.seq, m.state])).toEqual([[2, 'damaged']]);
  });
});

describe('the worker service and a damaged row', () => {
  let world: World;
  let service: WorkerService;
  const events = new EventLog();
  afterAll(async () => {
    await service?.shutdown();
    await world?.close();
  });

  it('search marks the hit damaged, the reader shows damage, an export counts it, and the next backup replaces it', async () => {
    world = await startWorld();
    const secrets = new MemorySecrets();
    service = createService({ dataDir: world.dir }, events.emit, secrets);
    const profile = await service.saveProfile({ profile: profileInput(world.emulator) });
    await service.setSecretKey({ profile: profile.name, secretKey: APP.secretKey });
    const backup = async () => {
      const started = await service.startBackup({ profile: profile.name, groups: [{ groupId: 'en' }] });
      return events.next('backupDone', (e) => e.backupId === started.backupId);
    };
    expect((await backup()).summary.outcome).toBe('ok');

    // A message of group en saying "the", far below the next backup's look-back.
    const archive = await Archive.open(profile.archivePath, { readOnly: true });
    const [gid, seq] = rowsOf(archive.db, "SELECT m.gid, m.seq FROM messages m JOIN groups g ON g.gid = m.gid WHERE g.group_id = 'en' AND m.seq < 80 AND m.state = 0 AND m.text LIKE '% the %' ORDER BY m.seq LIMIT 1")[0]!.map(Number) as [number, number];
    await archive.close();
    damageRow(profile.archivePath, gid, seq, 'text', [' the ', ' thx ']);

    const found = await service.search({ profile: profile.name, query: 'the', filter: { groupIds: ['en'] }, order: 'oldest', limit: 200 });
    const hit = found.hits.find((h) => h.seq === seq);
    expect(hit).toMatchObject({ damaged: true, snippet: [] });
    expect(found.hits.filter((h) => h.damaged)).toHaveLength(1);
    const page = await service.readPage({ profile: profile.name, groupId: 'en', anchor: { at: 'seq', seq }, direction: 'after', limit: 1 });
    expect(page.messages[0]).toMatchObject({ seq, state: 'damaged', elements: [] });

    const out = join(world.dir, 'en.jsonl');
    const { exportId } = await service.export({ profile: profile.name, format: 'jsonl', out, filter: { groupIds: ['en'] }, lang: 'en' });
    const done = await events.next('exportDone', (e) => e.exportId === exportId);
    expect(done.result).toMatchObject({ ok: true, value: { damaged: 1 } });

    const again = await backup();
    expect(again.summary.groups[0]).toMatchObject({ repairedSeqs: [seq], damagedSeqs: [] });
    const after = await service.readPage({ profile: profile.name, groupId: 'en', anchor: { at: 'seq', seq }, direction: 'after', limit: 1 });
    expect(after.messages[0]!.state).toBe('normal');
  }, 60_000);
});
