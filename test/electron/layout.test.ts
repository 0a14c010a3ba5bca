// The packaged layout, checked where no Electron binary exists: electron-builder's --dir target against a stub
// Electron, then the packaged worker is started under plain Node the way Electron sees it: app.asar read as a
// folder (Electron's fs does that, in worker threads too) with the unpacked native modules in place, and nothing
// else.
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Events } from '../../app/ipc/contract';
import { WorkerClient } from '../../app/worker/client';
import { bundle } from '../../build/bundle.mjs';
import { checkLayout } from '../../build/check-layout.mjs';
import { extractAll } from '@electron/asar';

const renderer = fileURLToPath(new URL('../../renderer/dist/index.html', import.meta.url));
if (!existsSync(renderer)) console.warn('Skipping the packaged layout test: the renderer is not built (renderer/dist/index.html).');

describe.runIf(process.platform === 'linux' && existsSync(renderer))('the packaged app (electron-builder --dir, stub Electron)', () => {
  it('holds main, preload, worker and renderer in app.asar, only native modules unpacked, and no dev tooling', async () => {
    await bundle();
    const { problems, app, cleanup } = await checkLayout();
    const data = await mkdtemp(join(tmpdir(), 'tim-layout-data-'));
    try {
      expect(problems).toEqual([]);
      // extractAll copies the unpacked files from app.asar.unpacked into place, as Electron's fs resolves them.
      const asIfElectron = join(data, 'app');
      extractAll(join(app, 'resources', 'app.asar'), asIfElectron);
      const worker = new WorkerClient({ entry: pathToFileURL(join(asIfElectron, 'out', 'worker.mjs')), config: { dataDir: data } });
      try {
        expect(await worker.call('listProfiles')).toEqual({ ok: true, value: [] });
        const demo = await worker.call('startDemo');
        expect(demo).toMatchObject({ ok: true, value: { name: 'Demo' } });
        // A backup creates the archive from the packaged copy (SQLite is the runtime's own node:sqlite).
        const started = await worker.call('startBackup', { profile: 'Demo', groups: [{ groupId: 'team-english' }] });
        const done = await new Promise<Events['backupDone']>((resolve) => worker.on('backupDone', resolve));
        expect(started.ok && done.summary.outcome).toBe('ok');
        const listed = await worker.call('listGroups', { profile: 'Demo', source: 'archive' });
        expect(listed.ok && listed.value.map((g) => g.groupId)).toEqual(['team-english']);
      } finally {
        await worker.shutdown();
      }
    } finally {
      await cleanup();
      await rm(data, { recursive: true, force: true });
    }
  });
});
