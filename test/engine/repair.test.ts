// The next backup replaces damaged rows (a checksum that no longer matches, app/archive/checksum.ts) with a
// fresh copy from Tencent while Tencent still holds them, records that it did, and names those it could not.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Archive, rowsOf } from '../../app/archive';
import { type BackupOptions, runBackup } from '../../app/engine/backup';
import { Pacer } from '../../app/engine/pacer';
import { ImClient } from '../../app/im/client';
import { damageRow } from '../archive/damage';
import { onCleanup, tempDir } from '../archive/helpers';
import { startEmulator } from '../emulator';
import { gidOf } from './truth';

const APP = { sdkAppId: 1400000111, secretKey: 'repair-test-secret-key', admins: ['administrator'] };

describe('repairing damaged rows', () => {
  it('the next backup replaces damaged rows still within retention, records it, and names the ones beyond it', async () => {
    const emulator = await startEmulator({ apps: [{ ...APP, groups: [{ groupId: 'g', messages: 400, seed: 41, deletedShare: 0.05, recalledShare: 0 }] }] });
    onCleanup(() => emulator.close());
    const client = new ImClient({ endpoint: emulator.url, sdkAppId: APP.sdkAppId, identifier: APP.admins[0]!, secretKey: APP.secretKey });
    const path = join(await tempDir(), 'archive.sqlite');
    const backup = async (extra: Partial<BackupOptions> = {}) => {
      const archive = await Archive.open(path, { create: true });
      try {
        return await runBackup({ api: client, archive, sdkAppId: APP.sdkAppId, pacer: new Pacer({ rate: 200 }), targets: [{ groupId: 'g' }], retry: { maxAttempts: 3, baseMs: 5, capMs: 20, maxRateLimited: 100 }, ...extra });
      } finally {
        await archive.close();
      }
    };
    expect((await backup()).outcome).toBe('ok');

    const group = emulator.group(APP.sdkAppId, 'g');
    // Far below the look-back (the last 100 Seqs are read again anyway), so only the damage brings them back.
    const normal = [...Array(250).keys()].map((i) => i + 1).filter((s) => group.state(s) === 'normal');
    const deleted = [...Array(250).keys()].map((i) => i + 1).filter((s) => group.state(s) === 'deleted');
    const [expiredSoon, inText, inRaw] = [normal[0]!, normal[40]!, normal[80]!];
    const placeholder = deleted.find((s) => s > expiredSoon + 5)!;
    const reader = await Archive.open(path, { readOnly: true });
    const gid = gidOf(reader, 'g');
    const first = String(rowsOf(reader.db, 'SELECT text FROM messages WHERE gid = ? AND seq = ?', gid, inText)[0]![0]).slice(0, 1);
    await reader.close();
    damageRow(path, gid, expiredSoon, 'raw', ['MsgRandom', 'MsgRandon']);
    damageRow(path, gid, inText, 'text', [first, first === '~' ? '!' : '~']);
    damageRow(path, gid, inRaw, 'raw', ['MsgRandom', 'MsgRandon']);
    damageRow(path, gid, placeholder, 'state');
    // Tencent's retention moves past the oldest damaged message before the next backup.
    group.setRetentionEdge(expiredSoon + 1);

    // A backup checks only messages sent within damageScanDays (older damage is verify's): with 0, none of these.
    const recentOnly = await backup({ damageScanDays: 0 });
    expect(recentOnly.groups[0]).not.toHaveProperty('repairedSeqs');
    const again = await backup();
    expect(again.outcome).toBe('ok');
    const g = again.groups[0]!;
    expect(g.repairedSeqs?.sort((a, b) => a - b)).toEqual([inText, inRaw, placeholder].sort((a, b) => a - b));
    expect(g.damagedSeqs).toEqual([expiredSoon]);

    const archive = await Archive.open(path, { readOnly: true });
    onCleanup(() => archive.close());
    // The replaced rows are Tencent's answers again, byte for byte; the one beyond retention is still reported.
    for (const seq of [inText, inRaw, placeholder]) {
      expect(JSON.parse(String(rowsOf(archive.db, 'SELECT raw FROM messages WHERE gid = ? AND seq = ?', gid, seq)[0]![0]))).toEqual(group.view(seq));
    }
    expect(archive.damagedRows().damaged).toEqual([{ gid, seq: expiredSoon }]);
    // Recorded: a 'repaired' change per replaced row in this run, and the run's own summary names them.
    expect(rowsOf(archive.db, "SELECT seq FROM message_changes WHERE cause = 'repaired' AND run_id = ? ORDER BY seq", again.runId).map((r) => r[0])).toEqual(
      [inText, inRaw, placeholder].sort((a, b) => a - b),
    );
    const recorded = archive.run(again.runId)!.summary as { groups: { repairedSeqs?: number[]; damagedSeqs?: number[] }[] };
    expect(recorded.groups[0]).toMatchObject({ damagedSeqs: [expiredSoon] });
    expect(recorded.groups[0]!.repairedSeqs).toHaveLength(3);
  });
});
