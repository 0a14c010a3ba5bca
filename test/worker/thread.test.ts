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
import { fillArchive, SDKAPPID } from '../export/fixtures';

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

describe('an export in the worker thread', () => {
  it('streams its progress to main while it runs: increasing counts, then the end', async () => {
    const archivePath = join(dir, 'export-progress.sqlite');
    const archive = await Archive.open(archivePath, { create: true });
    fillArchive(archive, [{ groupId: '@TGS#progress', messages: 3000, seed: 31, spanSeconds: 90 * 86400 }]);
    await archive.close();
    const client = new WorkerClient({ entry: new URL('../../app/worker/host.ts', import.meta.url), typescript: true, config: { dataDir: join(dir, 'export'), exportProgressIntervalMs: 0 } });
    try {
      const saved = await client.call('saveProfile', { profile: { name: 'Exporter', endpoint: 'singapore', sdkAppId: SDKAPPID, admin: 'administrator', rate: 10, archivePath } });
      expect(saved.ok).toBe(true);
      const seen: (Events['exportProgress'] | Events['exportDone'])[] = [];
      let stillRunning: Promise<unknown> | undefined;
      const finished = new Promise<void>((resolve) => {
        client.on('exportProgress', (e) => {
          seen.push(e);
          // Asked as soon as main hears of progress: the export is still under way in the thread.
          if (e.messages > 0) stillRunning ??= client.call('runningTasks', { profile: 'Exporter' });
        });
        client.on('exportDone', (e) => {
          seen.push(e);
          resolve();
        });
      });
      const started = await client.call('export', { profile: 'Exporter', format: 'html', out: join(dir, 'export-html'), filter: {}, lang: 'en' });
      if (!started.ok) throw new Error(started.error.message);
      await finished;
      const progress = seen.slice(0, -1) as Events['exportProgress'][];
      // A few of the 3,000 Seqs were never stored at Tencent: the total is what the archive holds.
      const total = progress[0]!.total!;
      expect(total).toBeGreaterThan(2900);
      const done = seen.at(-1) as Events['exportDone'];
      expect(done.result).toMatchObject({ ok: true, value: { messages: total, groups: 1 } });
      expect(done.result.ok && done.result.value.pages).toBeGreaterThan(2);
      const counts = progress.map((e) => e.messages);
      expect(counts.every((n, i) => i === 0 || n >= counts[i - 1]!)).toBe(true);
      expect(counts.filter((n) => n > 0 && n < total).length).toBeGreaterThan(3);
      expect(await stillRunning).toMatchObject({ ok: true, value: { exports: [{ exportId: started.value.exportId, total }] } });
    } finally {
      await client.shutdown();
    }
  });
});

describe('the bundled worker (what the packaged app runs)', () => {
  it('starts from the esbuild bundle and serves the same contract', async () => {
    // Inside the project, so the bundle finds the keyring module in node_modules as in the app.
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
