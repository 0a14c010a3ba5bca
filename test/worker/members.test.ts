// The People view's operation, in process against the emulator: who is in a group, under which names over time,
// and who left — what the archive recorded across two backups with a rename and a departure between them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../app/ipc/contract';
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
  profile = await service.saveProfile({ profile: profileInput(world.emulator) });
  await service.setSecretKey({ profile: profile.name, secretKey: APP.secretKey });
});
afterAll(async () => {
  await service.shutdown();
  await world.close();
});

async function backUp(groupId: string) {
  const { backupId } = await service.startBackup({ profile: profile.name, groups: [{ groupId }] });
  return (await events.next('backupDone', (e) => e.backupId === backupId)).summary;
}

describe('members', () => {
  it('lists a group’s people with their group card history and who left, as the emulator changed them', async () => {
    expect((await backUp('en')).outcome).toBe('ok');
    const people = world.emulator.people(APP.sdkAppId);
    const [renamed, leaving] = people.members('en');
    const oldCard = renamed!.nameCard;
    people.setCard('en', renamed!.account, '新群名片 New card');
    people.leave('en', leaving!.account);
    expect((await backUp('en')).outcome).toBe('ok');

    const members = await service.members({ profile: profile.name, groupId: 'en' });
    const r = members.find((m) => m.account === renamed!.account)!;
    expect(r.card).toBe('新群名片 New card');
    expect(r.name).toBe('新群名片 New card');
    expect(r.history.card.map((p) => p.value)).toEqual([...(oldCard ? [oldCard] : []), '新群名片 New card']);
    expect(r.leftAt).toBeUndefined();
    const l = members.find((m) => m.account === leaving!.account)!;
    expect(l.leftAt).toBeGreaterThan(0);
    // Current members come first, then those who left.
    expect(members.findIndex((m) => m.account === leaving!.account)).toBeGreaterThan(members.findIndex((m) => m.account === renamed!.account));
    expect(members.filter((m) => m.lastSeen !== undefined && m.leftAt === undefined).length).toBe(people.members('en').length);
  });

  it('says the group is not archived yet, as not-found', async () => {
    const kind = await service.members({ profile: profile.name, groupId: 'cn' }).then(
      () => 'ok',
      (err: unknown) => service.scrubber.toAppError(err).kind,
    );
    expect(kind).toBe('not-found');
  });
});
