// The worker as the app runs it: a real worker_threads thread, under plain Node — the TypeScript entry through tsx,
// and the esbuild bundle the packaged app ships — answering typed requests with Results, streaming events, and
// shutting down with its archives saved.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../app/archive';
import type { Events } from '../../app/ipc/contract';
import { WorkerClient } from '../../app/worker/client';
import { bundle } from '../../build/bundle.mjs';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tim-thread-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function done(client: WorkerClient, backupId: string): Promise<Events['backupDone']> {
  return new Promise((resolve) => {
    const off = client.on('backupDone', (e) => {
      if (e.backupId !== backupId) return;
      off();
      resolve(e);
    });
  });
}

describe('the worker thread (TypeScript entry under tsx)', () => {
  it('answers requests, streams a backup’s events, and saves the archive when shut down', async () => {
    const client = new WorkerClient({ entry: new URL('../../app/worker/host.ts', import.meta.url), typescript: true, config: { dataDir: join(dir, 'ts') } });
    try {
      expect(await client.call('listProfiles')).toEqual({ ok: true, value: [] });
      const unknown = await client.call('coverage', { profile: 'nobody', groupId: 'g' });
      expect(unknown).toMatchObject({ ok: false, error: { kind: 'not-found' } });

      const demo = await client.call('startDemo');
      if (!demo.ok) throw new Error(demo.error.message);
      expect(demo.value).toMatchObject({ name: 'Demo', demo: true });
      const progress: Events['backupProgress'][] = [];
      client.on('backupProgress', (e) => progress.push(e));
      const started = await client.call('startBackup', { profile: 'Demo', groups: [{ groupId: 'team-english' }] });
      if (!started.ok) throw new Error(started.error.message);
      const finished = await done(client, started.value.backupId);
      expect(finished.summary.outcome).toBe('ok');
      expect(progress.some((p) => p.backupId === started.value.backupId && p.progress.windowsTotal > 0)).toBe(true);

      // A second backup is cut short by shutdown: the thread saves what it has and the file stays consistent.
      const again = await client.call('startBackup', { profile: 'Demo', groups: [{ groupId: '@TGS#2DEMO0CN1' }] });
      if (!again.ok) throw new Error(again.error.message);
      const cut = done(client, again.value.backupId);
      await client.shutdown();
      expect((await cut).summary.outcome).toMatch(/cancelled|ok/);
      const archive = await Archive.open(demo.value.archivePath, { readOnly: true });
      expect(archive.groups().map((g) => g.groupId)).toContain('team-english');
      await archive.close();

      // After the thread is gone, calls answer at once instead of hanging.
      expect(await client.call('listProfiles')).toMatchObject({ ok: false, error: { kind: 'internal' } });
    } finally {
      await client.shutdown();
    }
  });
});

describe('the bundled worker (what the packaged app runs)', () => {
  it('starts from the esbuild bundle and serves the same contract', async () => {
    // Inside the project, so the bundle finds sql.js and the keyring module in node_modules as in the app.
    const out = await bundle(fileURLToPath(new URL(`../../node_modules/.cache/tim-bundle-${process.pid}/`, import.meta.url)));
    const client = new WorkerClient({ entry: new URL(`file://${join(out, 'worker.mjs')}`), config: { dataDir: join(dir, 'bundle') } });
    try {
      const demo = await client.call('startDemo');
      expect(demo).toMatchObject({ ok: true, value: { name: 'Demo' } });
      const groups = await client.call('listGroups', { profile: 'Demo', source: 'tencent' });
      expect(groups.ok && groups.value.length).toBeGreaterThan(3);
      const search = await client.call('search', { profile: 'Demo', query: '你好', filter: {}, order: 'newest', limit: 5 });
      expect(search).toEqual({ ok: true, value: { hits: [] } });
    } finally {
      await client.shutdown();
      await rm(out, { recursive: true, force: true });
    }
  });
});
