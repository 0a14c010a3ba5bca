// What knowing the people costs: REST calls for member lists and profiles against the run's history calls
// (group_msg_get_simple and get_group_info, retries included), for a first backup and an incremental one. Calls,
// not time, are what count here: they come out of the app's one allowance at Tencent. The emulator runs in this
// process because the scenario changes its people between runs; no throughput is measured.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Archive } from '../../app/archive';
import { type BackupOptions, type BackupSummary, runBackup } from '../../app/engine/backup';
import { Pacer } from '../../app/engine/pacer';
import { ImClient } from '../../app/im/client';
import { startEmulator } from '../emulator';

const APP = { sdkAppId: 1400000950, secretKey: 'bench-people', admins: ['administrator'] };
const HOUR = 3_600_000;
/** The history spans 30 days: an incremental run 12 hours later finds 1/60 of it new. */
const SPAN_DAYS = 30;
const INCREMENT_HOURS = 12;
/** Between the runs this share of the members changes card, nick or avatar, leaves or joins (each). */
const CHURN = 0.01;

export interface PeopleScenario {
  name: string;
  historyCalls: number;
  memberCalls: number;
  profileCalls: number;
  peopleCalls: number;
  share: number;
}

export interface PeopleBenchResult {
  members: number;
  senders: number;
  messages: number;
  newMessages: number;
  scenarios: PeopleScenario[];
}

export async function benchPeople(size: { members: number; senders: number; messages: number }): Promise<PeopleBenchResult> {
  const newMessages = Math.round((size.messages * INCREMENT_HOURS) / (SPAN_DAYS * 24));
  const scenarios: PeopleScenario[] = [];
  // Each incremental variant starts again from the same first run, so they see the same changes.
  for (const variant of [
    { name: `incremental, ${INCREMENT_HOURS} h later (defaults: member list when MemberNum changed or after a day, profiles after a day)`, opts: {} },
    { name: `incremental, ${INCREMENT_HOURS} h later, member list every run (memberListMaxAgeMs 0, the old default)`, opts: { memberListMaxAgeMs: 0 } },
  ]) {
    let ms = Date.now();
    const emulator = await startEmulator({
      apps: [{ ...APP, groups: [{ groupId: 'people', type: 'ChatRoom', members: size.members, senders: size.senders, messages: size.messages, seed: 7, spanDays: SPAN_DAYS }] }],
      now: () => Math.floor(ms / 1000),
    });
    const dir = await mkdtemp(join(tmpdir(), 'tim-bench-people-'));
    const archive = await Archive.open(join(dir, 'a.sqlite'), { create: true });
    const client = new ImClient({ endpoint: emulator.url, sdkAppId: APP.sdkAppId, identifier: APP.admins[0]!, secretKey: APP.secretKey, now: () => Math.floor(ms / 1000) });
    const counted = async (name: string, opts: Partial<BackupOptions>): Promise<PeopleScenario> => {
      emulator.resetCounters();
      const s: BackupSummary = await runBackup({ api: client, archive, sdkAppId: APP.sdkAppId, pacer: new Pacer({ rate: 200 }), targets: [{ groupId: 'people' }], now: () => ms, ...opts });
      if (s.outcome !== 'ok' || s.people?.problems.length) throw new Error(`bench backup ${s.outcome}: ${s.error ?? s.people?.problems.join('; ') ?? ''}`);
      const api = emulator.counters().apis;
      const memberCalls = api.get_group_member_info?.requests ?? 0;
      const profileCalls = api.portrait_get?.requests ?? 0;
      const historyCalls = (api.group_msg_get_simple?.requests ?? 0) + (api.get_group_info?.requests ?? 0);
      return { name, historyCalls, memberCalls, profileCalls, peopleCalls: memberCalls + profileCalls, share: (memberCalls + profileCalls) / historyCalls };
    };
    try {
      const first = await counted('first run', variant.opts);
      if (scenarios.length === 0) scenarios.push(first);
      ms += INCREMENT_HOURS * HOUR;
      emulator.group(APP.sdkAppId, 'people').append(newMessages);
      emulator.people(APP.sdkAppId).churn(1, CHURN);
      scenarios.push(await counted(variant.name, variant.opts));
    } finally {
      await archive.close();
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    }
  }
  return { ...size, newMessages, scenarios };
}
