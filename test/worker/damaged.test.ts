// The desktop reader shows a damaged row (its checksum no longer matches, app/archive/checksum.ts) as damage,
// never as the message; the rows around it are shown as usual.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Archive } from '../../app/archive';
import { readContext, readPage } from '../../app/worker/reader';
import { damageRow } from '../archive/damage';
import { deleted, onCleanup, tempDir, textMsg } from '../archive/helpers';

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
