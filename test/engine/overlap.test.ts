// The run's serial steps travel with other requests instead of waiting alone on the wire: observable in the
// order in which requests go out and answers come back, never in absolute time.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Archive } from '../../app/archive';
import { runBackup } from '../../app/engine/backup';
import type { BackupApi } from '../../app/engine/context';
import { Pacer } from '../../app/engine/pacer';
import { ImClient } from '../../app/im/client';
import type { GroupMsgGetSimpleRequest } from '../../app/im/wire';
import { type AppSpec, type EmulatorOptions, startEmulator } from '../emulator';
import { expectExact } from './truth';

const APP = { sdkAppId: 1400000102, secretKey: 'overlap-test-secret-key', admins: ['administrator'] };

let cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

type Event = { call: 'info' | 'history'; seq?: number; at: 'sent' | 'answered' };

/** The client, with every call and answer written down in the order they happen. */
function recording(client: ImClient, hooks: { beforeInfo?: () => Promise<void> } = {}): { api: BackupApi; events: Event[] } {
  const events: Event[] = [];
  const api: BackupApi = {
    getGroupMemberInfo: (req) => client.getGroupMemberInfo(req),
    portraitGet: (accounts, tags) => client.portraitGet(accounts, tags),
    async getGroupInfo(ids: string[]) {
      await hooks.beforeInfo?.();
      events.push({ call: 'info', at: 'sent' });
      const infos = await client.getGroupInfo(ids);
      events.push({ call: 'info', at: 'answered' });
      return infos;
    },
    getTopic: (groupId: string) => client.getTopic(groupId),
    async groupMsgGetSimple(req: GroupMsgGetSimpleRequest) {
      events.push({ call: 'history', seq: req.ReqMsgSeq, at: 'sent' });
      const answer = await client.groupMsgGetSimple(req);
      events.push({ call: 'history', seq: req.ReqMsgSeq, at: 'answered' });
      return answer;
    },
  };
  return { api, events };
}

async function setup(groups: AppSpec['groups'], emu: Partial<EmulatorOptions> = {}) {
  const emulator = await startEmulator({ apps: [{ ...APP, groups }], ...emu });
  const dir = await mkdtemp(join(tmpdir(), 'tim-overlap-'));
  const archive = await Archive.open(join(dir, 'archive.sqlite'), { create: true });
  const client = new ImClient({ endpoint: emulator.url, sdkAppId: APP.sdkAppId, identifier: APP.admins[0]!, secretKey: APP.secretKey });
  cleanups.push(() => emulator.close(), () => archive.close(), () => rm(dir, { recursive: true, force: true }));
  return { emulator, archive, client };
}

const sent = (events: Event[], call: Event['call']) => events.filter((e) => e.call === call && e.at === 'sent');

describe('overlapping the serial steps of a run', () => {
  it('reads the oldest windows while get_group_info is on its way, and uses every one of them', async () => {
    const { emulator, archive, client } = await setup([{ groupId: 'g', messages: 1000, seed: 21, longShare: 0 }], { latencyMs: 30, jitterMs: 5 });
    const { api, events } = recording(client);
    const summary = await runBackup({ api, archive, sdkAppId: APP.sdkAppId, pacer: new Pacer({ rate: 200 }), targets: [{ groupId: 'g' }] });
    expect(summary.outcome).toBe('ok');
    expectExact(archive, 'g', emulator.group(APP.sdkAppId, 'g'));

    const infoAnswered = events.findIndex((e) => e.call === 'info' && e.at === 'answered');
    const early = events.slice(0, infoAnswered).filter((e) => e.call === 'history' && e.at === 'sent');
    // Window 0 (the retention search's first probe) and the windows above it, oldest first.
    expect(early.length).toBeGreaterThan(1);
    expect(early.map((e) => e.seq)).toEqual(early.map((_, k) => (k + 1) * 20));
    // Nothing was read twice: 50 windows, one request each.
    const reads = sent(events, 'history').map((e) => e.seq);
    expect(new Set(reads).size).toBe(reads.length);
    expect(reads.length).toBe(50);
  });

  it('sends the growth check while the last windows are still on their way', async () => {
    const { emulator, archive, client } = await setup([{ groupId: 'g', messages: 600, seed: 22, longShare: 0 }], { latencyMs: 30, jitterMs: 5 });
    const { api, events } = recording(client);
    const summary = await runBackup({ api, archive, sdkAppId: APP.sdkAppId, pacer: new Pacer({ rate: 200 }), targets: [{ groupId: 'g' }] });
    expect(summary.outcome).toBe('ok');
    expectExact(archive, 'g', emulator.group(APP.sdkAppId, 'g'));

    const infos = sent(events, 'info');
    expect(infos).toHaveLength(2);
    const check = events.lastIndexOf(infos[1]!);
    const lastAnswer = events.findLastIndex((e) => e.call === 'history' && e.at === 'answered');
    expect(check).toBeLessThan(lastAnswer);
    // …and only once every window had gone out: it is the last request of the run.
    expect(events.slice(check + 1).some((e) => e.at === 'sent')).toBe(false);
  });

  it('reads a window again when the group had not reached its top Seq when it was read ahead', async () => {
    const { emulator, archive, client } = await setup([{ groupId: 'young', messages: 50, seed: 23 }]);
    const group = emulator.group(APP.sdkAppId, 'young');
    const answered = new Set<number | undefined>();
    let enough!: () => void;
    const readAhead = new Promise<void>((resolve) => (enough = resolve));
    const { api, events } = recording(
      {
        getGroupMemberInfo: (req) => client.getGroupMemberInfo(req),
        portraitGet: (accounts, tags) => client.portraitGet(accounts, tags),
        getGroupInfo: (ids: string[]) => client.getGroupInfo(ids),
        getTopic: (groupId: string) => client.getTopic(groupId),
        groupMsgGetSimple: async (req: GroupMsgGetSimpleRequest) => {
          const answer = await client.groupMsgGetSimple(req);
          answered.add(req.ReqMsgSeq);
          if ([20, 40, 60, 80].every((seq) => answered.has(seq))) enough();
          return answer;
        },
      } satisfies BackupApi as unknown as ImClient,
      {
        // Windows 0–3 (Seqs 1–80) are read while the group has 50 Seqs; it has 80 when get_group_info answers.
        beforeInfo: async () => {
          await readAhead;
          group.append(30);
        },
      },
    );
    const summary = await runBackup({ api, archive, sdkAppId: APP.sdkAppId, pacer: new Pacer({ rate: 200 }), targets: [{ groupId: 'young' }], growthRounds: 0 });
    expect(summary.outcome).toBe('ok');
    expect(summary.groups[0]!.top).toBe(80);
    expectExact(archive, 'young', group, { top: 80 });
    const reads = sent(events, 'history').map((e) => e.seq);
    expect(reads.filter((seq) => seq === 60)).toHaveLength(2);
    expect(reads.filter((seq) => seq === 80)).toHaveLength(2);
  });
});
