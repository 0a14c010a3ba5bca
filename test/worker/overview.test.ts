// The worker's operations for the Overview, the run history and the scheduler, in process, against the emulator:
// a first-time profile (no archive: the estimate), a scheduled profile's next backup and deadlines, the history
// with its triggers, and "retry what failed" after a cancelled backup.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../app/ipc/contract';
import { DAY } from '../../app/schedule/deadline';
import { createService, type WorkerService } from '../../app/worker/service';
import { APP, EventLog, MemorySecrets, profileInput, startWorld, type World } from './helpers';

let world: World;
let events: EventLog;
let service: WorkerService;
let profile: Profile;

beforeAll(async () => {
  world = await startWorld();
  events = new EventLog();
  service = createService({ dataDir: world.dir }, events.emit, new MemorySecrets());
  profile = await service.saveProfile({ profile: { ...profileInput(world.emulator), retentionDays: 30, schedule: { kind: 'daily', at: '02:30' } } });
  await service.setSecretKey({ profile: profile.name, secretKey: APP.secretKey });
});
afterAll(async () => {
  await service.shutdown();
  await world.close();
});

const kindOf = (call: Promise<unknown>) =>
  call.then(
    () => 'ok',
    (err: unknown) => service.scrubber.toAppError(err).kind,
  );

async function backupDone(started: Promise<{ backupId: string }>) {
  const { backupId } = await started;
  return (await events.next('backupDone', (e) => e.backupId === backupId)).summary;
}

describe('Overview, history and schedule operations', () => {
  it('a first-time profile: saved schedule and retention, no archive yet, an estimate, due at once', async () => {
    expect((await service.listProfiles()).find((p) => p.name === profile.name)).toMatchObject({ retentionDays: 30, schedule: { kind: 'daily', at: '02:30' } });
    const overview = await service.overview({ profile: profile.name });
    expect(overview).toMatchObject({ retentionDays: 30, schedule: { kind: 'daily', at: '02:30' }, groups: [], nextRun: { reason: 'first-backup' } });
    expect(overview.archiveBytes).toBeUndefined();
    expect(overview.lastRun).toBeUndefined();
    expect(overview.freeDiskBytes).toBeGreaterThan(0);
    expect(await service.runHistory({ profile: profile.name, limit: 10 })).toEqual([]);
    expect(await service.scheduledProfiles()).toEqual([{ profile: profile.name, schedule: { kind: 'daily', at: '02:30' } }]);

    const estimate = await service.estimate({ profile: profile.name, groups: [] });
    // The live room keeps no history; the others' messages up to their newest.
    expect(estimate).toMatchObject({ groups: 3, messages: 300 + 200 + 1500, rate: profile.rate });
    expect(estimate.requests).toBeGreaterThanOrEqual(100);
    expect((await service.estimate({ profile: profile.name, groups: [{ groupId: 'en' }] })).messages).toBe(200);
    // The media, estimated from each group's newest messages under the profile's media setting.
    expect(estimate.media).toMatchObject({ mode: 'all' });
    expect(estimate.media!.sampledMessages).toBeGreaterThan(0);
    expect(estimate.media!.bytes).toBe(estimate.perGroup.reduce((n, g) => n + g.mediaBytes!, 0));
    await service.saveProfile({ profile: { ...profile, media: { mode: 'thumbnails' } }, previousName: profile.name });
    expect((await service.estimate({ profile: profile.name, groups: [] })).media!.bytes).toBeLessThan(estimate.media!.bytes);
    await service.saveProfile({ profile: { ...profile, media: { mode: 'none' } }, previousName: profile.name });
    expect((await service.estimate({ profile: profile.name, groups: [] })).media).toBeUndefined();
    await service.saveProfile({ profile, previousName: profile.name });
  });

  it('after a backup: the last run, each group’s deadline from the plan’s retention, the next scheduled backup', async () => {
    const before = Date.now();
    const summary = await backupDone(service.startBackup({ profile: profile.name, groups: [{ groupId: 'cn' }, { groupId: 'en' }] }));
    expect(summary.outcome).toBe('ok');
    const history = await service.runHistory({ profile: profile.name, limit: 10 });
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ trigger: 'manual', outcome: 'ok', canRetry: false, failedMessages: 0 });

    const overview = await service.overview({ profile: profile.name });
    expect(overview.lastRun).toEqual(history[0]);
    expect(overview.archiveBytes).toBeGreaterThan(0);
    expect(overview.groups.map((g) => g.groupId).sort()).toEqual(['cn', 'en']);
    for (const g of overview.groups) {
      expect(g).toMatchObject({ attention: [], lastRun: { runId: history[0]!.runId, state: 'done', outcome: 'ok' }, deadline: { basis: 'up-to-date' } });
      expect(g.deadline.expiresAt! - before).toBeGreaterThanOrEqual(30 * DAY);
      expect(g.deadline.dueAt).toBe(g.deadline.expiresAt! - DAY);
    }
    // Daily at 02:30: the first 02:30 after the backup's start, well before any deadline.
    expect(overview.nextRun!.reason).toBe('schedule');
    expect(overview.nextRun!.at - history[0]!.startedAt).toBeGreaterThan(0);
    expect(overview.nextRun!.at - history[0]!.startedAt).toBeLessThanOrEqual(DAY);
    expect(overview.dueAt).toBe(Math.min(...overview.groups.map((g) => g.deadline.dueAt)));
    const [due] = await service.scheduledProfiles();
    expect(due).toEqual({ profile: profile.name, schedule: { kind: 'daily', at: '02:30' }, lastStartedAt: history[0]!.startedAt, deadlineDueAt: overview.dueAt });

    // The app's scheduler records its backups as scheduled; a finished run has nothing to retry.
    expect((await backupDone(service.startBackup({ profile: profile.name, groups: [{ groupId: 'en' }], trigger: 'scheduled' }))).outcome).toBe('ok');
    const [latest] = await service.runHistory({ profile: profile.name, limit: 1 });
    expect(latest).toMatchObject({ trigger: 'scheduled', outcome: 'ok' });
    expect(await kindOf(service.retryRun({ profile: profile.name, runId: latest!.runId }))).toBe('not-found');
    expect(await kindOf(service.retryRun({ profile: profile.name, runId: 999 }))).toBe('not-found');
    // Paging back.
    expect((await service.runHistory({ profile: profile.name, limit: 5, before: latest!.runId })).map((r) => r.runId)).toEqual([history[0]!.runId]);
  });

  it('a cancelled backup shows what needs attention, and "retry what failed" backs up exactly that group', async () => {
    const slow = await service.saveProfile({ profile: { ...profile, rate: 10 } });
    const started = await service.startBackup({ profile: slow.name, groups: [{ groupId: 'big' }] });
    await events.next('backupProgress', (e) => e.backupId === started.backupId && e.progress.windowsDone > 0);
    await service.cancelBackup({ profile: slow.name });
    expect((await events.next('backupDone', (e) => e.backupId === started.backupId)).summary.outcome).toBe('cancelled');

    const [cancelled] = await service.runHistory({ profile: slow.name, limit: 1 });
    expect(cancelled).toMatchObject({ outcome: 'cancelled', canRetry: true });
    const big = (await service.overview({ profile: slow.name })).groups[0]!;
    // Attention first: the big group, unfinished, with messages missing.
    expect(big).toMatchObject({ groupId: 'big', deadline: { basis: 'missing' } });
    expect(big.attention).toEqual(expect.arrayContaining(['failed', 'gaps']));

    await service.saveProfile({ profile: { ...profile, rate: 200 } });
    const retried = await backupDone(service.retryRun({ profile: slow.name, runId: cancelled!.runId }));
    expect(retried.outcome).toBe('ok');
    expect(retried.groups.map((g) => g.groupId)).toEqual(['big']);
    const [retry] = await service.runHistory({ profile: slow.name, limit: 1 });
    expect(retry).toMatchObject({ trigger: 'manual', retryOf: cancelled!.runId, outcome: 'ok' });
    expect((await service.overview({ profile: slow.name })).groups.every((g) => g.attention.length === 0)).toBe(true);
  });
});
