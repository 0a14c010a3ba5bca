// The worker's implementation of the contract: profiles and keychain, the engine, the archive, search and export.
// It runs in a worker thread (./host) in the app and directly in tests; it never sees Electron.

import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { listGroups as listTencentGroups } from '../engine/directory';
import { NoSuchRun, nothingToRetry, retryTargets } from '../engine/retry';
import { kindNames } from '../export/view';
import { ImError } from '../im/errors';
import { SERVICES } from '../im/wire';
import type { GroupEntry, ProfileInput, SearchHit } from '../ipc/contract';
import { checkArchiveLocation } from '../ipc/validators';
import { appPeople, groupMembers } from '../people/names';
import { OsKeychain, type SecretStore } from '../profiles/keychain';
import { archivesDir, settingsFile } from '../profiles/paths';
import { ProfileStore } from '../profiles/settings';
import { search } from '../search';
import { estimateBackup, sampleNewest } from '../schedule/estimate';
import { policyOf } from '../media/policy';
import { runHistory } from '../schedule/history';
import { profileDue, profileOverview } from '../schedule/overview';
import { isSha256, MediaReader, type StoredFile } from '../media/read';
import { ArchivePool } from './archives';
import { Backups } from './backups';
import { Connections } from './connections';
import { Demo } from './demo';
import { SecretScrubber, WorkerFailure } from './errors';
import { Exports } from './exports';
import type { Emit, WorkerApi, WorkerConfig } from './protocol';
import { archivedEntry, archivedGroups, archiveState, coverageReport, findGroup, readContext, readPage } from './reader';

export const DEMO_PROFILE = 'Demo';

export interface WorkerService extends WorkerApi {
  /** Cancels backups, waits for exports, saves and closes every archive, stops the demo emulator. */
  shutdown(): Promise<void>;
  /**
   * The stored file of a sha256, for the window's tim-media:// requests: looked for in every profile's archive
   * (content-addressed, so any archive that stored it holds these bytes). Undefined when none did.
   */
  mediaFile(sha256: string): Promise<StoredFile | undefined>;
  readonly scrubber: SecretScrubber;
}

export function createService(config: WorkerConfig, emit: Emit, secrets: SecretStore = new OsKeychain(config.keychainService)): WorkerService {
  const archives = archivesDir(config.dataDir);
  const profiles = new ProfileStore(settingsFile(config.dataDir), archives);
  const scrubber = new SecretScrubber();
  const demo = new Demo();
  const pool = new ArchivePool(archives);
  const connections = new Connections(secrets, scrubber, demo);
  const backups = new Backups(pool, connections, scrubber, emit);
  const exports = new Exports(pool, scrubber, emit, { progressIntervalMs: config.exportProgressIntervalMs });

  let stopped: Promise<void> | undefined;

  const withArchive = async (name: string) => {
    const profile = await profiles.get(name);
    return { profile, archive: await pool.read(profile.archivePath) };
  };

  /**
   * A new archive location the person chose is checked on disk before it is saved, and its folder is created
   * once saved. An unchanged one is left alone: later, a missing folder is an unplugged drive, not ours to create.
   */
  const newArchiveFolder = async (profile: ProfileInput, previousName: string | undefined): Promise<string | undefined> => {
    if (profile.archivePath === undefined) return undefined;
    const current = (await profiles.list()).find((p) => p.name === (previousName ?? profile.name));
    if (current?.archivePath === profile.archivePath) return undefined;
    await checkArchiveLocation(profile.archivePath);
    return dirname(profile.archivePath);
  };

  return {
    scrubber,

    listProfiles: () => profiles.list(),

    async saveProfile({ profile, previousName }) {
      const renamed = previousName !== undefined && previousName !== profile.name;
      if (renamed && backups.isRunning(previousName)) throw WorkerFailure.of('busy', 'rename-while-backing-up', { profile: previousName });
      const folder = await newArchiveFolder(profile, previousName);
      const saved = await profiles.save(profile, renamed ? { previousName } : {});
      if (folder !== undefined) await mkdir(folder, { recursive: true });
      if (renamed) {
        const key = await secrets.get(previousName);
        if (key !== undefined) {
          await secrets.set(saved.name, scrubber.remember(key));
          await secrets.delete(previousName);
        }
      }
      return saved;
    },

    async deleteProfile({ profile }) {
      if (backups.isRunning(profile)) throw WorkerFailure.of('busy', 'delete-while-backing-up', { profile });
      if (!(await profiles.delete(profile))) throw WorkerFailure.of('not-found', 'no-profile', { profile });
      await secrets.delete(profile);
    },

    async setSecretKey({ profile, secretKey }) {
      await profiles.get(profile);
      await secrets.set(profile, scrubber.remember(secretKey.trim()));
    },

    async hasSecretKey({ profile }) {
      const p = await profiles.get(profile);
      return p.demo === true || (await secrets.get(profile)) !== undefined;
    },

    async deleteSecretKey({ profile }) {
      await profiles.get(profile);
      await secrets.delete(profile);
    },

    async testConnection({ profile, secretKey }) {
      const target = typeof profile === 'string' ? await profiles.get(profile) : profile;
      return connections.test(target, secretKey?.trim());
    },

    async startDemo() {
      const running = await demo.ensure();
      return profiles.save({ name: DEMO_PROFILE, endpoint: running.url, sdkAppId: running.sdkAppId, admin: running.admin, rate: 180 }, { demo: true });
    },

    async listGroups({ profile: name, source }) {
      const profile = await profiles.get(name);
      if (source === 'archive') {
        const archive = await pool.read(profile.archivePath);
        return archive ? archivedGroups(archive, profile.sdkAppId).map((g) => archivedEntry(archive, g)) : [];
      }
      const client = await connections.client(profile);
      try {
        const listed = await listTencentGroups({
          api: connections.directory(client, profile),
          pacer: connections.pacer(profile),
          onPage: (listedSoFar, total) => emit('groupsProgress', { profile: name, listed: listedSoFar, total }),
        });
        // Read after the (slow) listing, so the archive state is as fresh as the listing.
        const archive = await pool.read(profile.archivePath);
        const rows = archivedGroups(archive, profile.sdkAppId);
        const atTencent = new Set(listed.map((g) => g.groupId));
        const listedTopics = new Set(listed.flatMap((g) => (g.topics ?? []).map((t) => t.topicId)));
        const stateOf = (groupId: string, topicId = '') => {
          const row = rows.find((r) => r.groupId === groupId && r.topicId === topicId);
          return archive && row ? { archive: archiveState(archive, row) } : {};
        };
        const entries: GroupEntry[] = listed.flatMap((g) => {
          const reason =
            g.error ? ImError.fromCode(g.error.code, g.error.info, SERVICES.getGroupInfo).message
            : !g.keepsHistory ? `${g.type ?? 'This'} groups keep no message history at Tencent, so there is nothing to back up.`
            : undefined;
          const group: GroupEntry = {
            groupId: g.groupId,
            ...(g.type !== undefined ? { type: g.type } : {}),
            ...(g.name !== undefined ? { name: g.name } : {}),
            ...(g.memberNum !== undefined ? { memberNum: g.memberNum } : {}),
            ...(g.newestSeq !== undefined ? { newestSeq: g.newestSeq } : {}),
            ...(g.lastMsgTime !== undefined ? { lastMsgTime: g.lastMsgTime } : {}),
            canBackUp: reason === undefined,
            ...(reason !== undefined ? { reason, reasonKind: g.error ? ('refused' as const) : ('no-history' as const) } : {}),
            atTencent: true,
            ...stateOf(g.groupId),
          };
          const topics = (g.topics ?? []).map((t): GroupEntry => ({
            groupId: g.groupId,
            topicId: t.topicId,
            ...(g.type !== undefined ? { type: g.type } : {}),
            ...(t.name !== undefined ? { name: t.name } : {}),
            ...(t.newestSeq !== undefined ? { newestSeq: t.newestSeq } : {}),
            ...(t.lastMsgTime !== undefined ? { lastMsgTime: t.lastMsgTime } : {}),
            canBackUp: true,
            atTencent: true,
            ...stateOf(g.groupId, t.topicId),
          }));
          return [group, ...topics];
        });
        // Groups and topics Tencent no longer lists are known from the archive only.
        for (const row of rows) {
          if (row.topicId === '' ? atTencent.has(row.groupId) : listedTopics.has(row.topicId)) continue;
          entries.push(archivedEntry(archive!, row, row.topicId === '' ? atTencent.has(row.groupId) : false));
        }
        return entries;
      } finally {
        client.close();
      }
    },

    async coverage({ profile, groupId, topicId }) {
      const { profile: p, archive } = await withArchive(profile);
      return coverageReport(archive!, findGroup(archive, p.sdkAppId, groupId, topicId));
    },

    async startBackup({ profile, groups, trigger }) {
      return backups.start(await profiles.get(profile), groups, { trigger: trigger ?? 'manual' });
    },

    cancelBackup: ({ profile }) => backups.cancel(profile),

    async fetchMissing({ profile, groupId, topicId }) {
      const p = await profiles.get(profile);
      return backups.start(p, [{ groupId, ...(topicId !== undefined ? { topicId } : {}) }]);
    },

    async retryRun({ profile, runId }) {
      const { profile: p, archive } = await withArchive(profile);
      let targets: ReturnType<typeof retryTargets> = [];
      try {
        targets = archive ? retryTargets(archive, runId) : [];
      } catch (err) {
        if (!(err instanceof NoSuchRun)) throw err;
        throw new WorkerFailure('not-found', err.said);
      }
      // An empty list would start a backup of every group: not what "retry" promises.
      if (targets.length === 0) throw new WorkerFailure('not-found', nothingToRetry(runId));
      return backups.start(p, targets, { trigger: 'manual', retryOf: runId });
    },

    async estimate({ profile, groups }) {
      const p = await profiles.get(profile);
      const client = await connections.client(p);
      try {
        const pacer = connections.pacer(p);
        const listed = await listTencentGroups({ api: connections.directory(client, p), pacer });
        const wanted = groups.length > 0 ? new Set(groups.map((g) => g.groupId)) : undefined;
        const chosen = listed.filter((g) => !wanted || wanted.has(g.groupId));
        const media = policyOf(p.media);
        const samples = media.mode === 'none' ? undefined : await sampleNewest(client, pacer, chosen);
        const archive = await pool.read(p.archivePath);
        return estimateBackup({ groups: chosen, sdkAppId: p.sdkAppId, rate: p.rate, archive, media, ...(samples ? { samples } : {}) });
      } finally {
        client.close();
      }
    },

    async overview({ profile }) {
      const { profile: p, archive } = await withArchive(profile);
      return profileOverview({
        archive,
        archivePath: p.archivePath,
        sdkAppId: p.sdkAppId,
        schedule: p.schedule,
        retentionDays: p.retentionDays,
        now: Date.now(),
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      });
    },

    async runHistory({ profile, before, limit }) {
      const { archive } = await withArchive(profile);
      return archive ? runHistory(archive, { limit, ...(before !== undefined ? { before } : {}) }) : [];
    },

    async scheduledProfiles() {
      const now = Date.now();
      const all = await profiles.list();
      return Promise.all(
        all.map(async (p) => (p.schedule ? profileDue(p.name, await pool.read(p.archivePath), p.sdkAppId, p.schedule, p.retentionDays, now) : { profile: p.name })),
      );
    },

    async members({ profile, groupId, topicId }) {
      const { profile: p, archive } = await withArchive(profile);
      return groupMembers(archive!.db, findGroup(archive, p.sdkAppId, groupId, topicId));
    },

    async people({ profile }) {
      const { profile: p, archive } = await withArchive(profile);
      return archive ? appPeople(archive.db, p.sdkAppId, archivedGroups(archive, p.sdkAppId)) : [];
    },

    async search({ profile, query, filter, order, after, limit }) {
      const { archive } = await withArchive(profile);
      if (!archive) return { hits: [] };
      const result = search(archive, query, filter, { order, limit, ...(after !== undefined ? { after } : {}) });
      const hits: SearchHit[] = result.hits.map((h) => ({
        groupId: h.groupId,
        ...(h.topicId ? { topicId: h.topicId } : {}),
        ...(h.groupName !== undefined ? { groupName: h.groupName } : {}),
        seq: h.seq,
        sender: { account: h.sender, ...(h.senderName !== undefined ? { name: h.senderName } : {}) },
        time: h.time,
        kinds: kindNames(h.kinds, h.state, h.isSystem),
        snippet: h.snippet,
        ...(h.damaged ? { damaged: true } : {}),
      }));
      return {
        hits,
        ...(result.next !== undefined ? { next: result.next } : {}),
        ...(result.nothingToSearch !== undefined ? { nothingToSearch: result.nothingToSearch } : {}),
      };
    },

    async context({ profile, groupId, topicId, seq, before, after }) {
      const { profile: p, archive } = await withArchive(profile);
      return readContext(archive!, findGroup(archive, p.sdkAppId, groupId, topicId), seq, before, after);
    },

    async readPage({ profile, groupId, topicId, ...page }) {
      const { profile: p, archive } = await withArchive(profile);
      return readPage(archive!, findGroup(archive, p.sdkAppId, groupId, topicId), page);
    },

    async export({ profile, ...args }) {
      return exports.start(await profiles.get(profile), args);
    },

    async runningTasks({ profile }) {
      const backup = backups.current(profile);
      return { ...(backup ? { backup } : {}), exports: exports.of(profile) };
    },

    async mediaFile(sha256) {
      if (!isSha256(sha256)) return undefined;
      for (const p of await profiles.list()) {
        const archive = await pool.read(p.archivePath).catch(() => undefined);
        const file = archive ? new MediaReader(archive.db, archive.path).file(sha256) : undefined;
        if (file) return file;
      }
      return undefined;
    },

    // Once: a second request (the OS ending the session while a quit is saving) waits for the same save.
    shutdown() {
      stopped ??= (async () => {
        await backups.cancelAll();
        await exports.settle();
        await pool.closeAll();
        await demo.close();
      })();
      return stopped;
    },
  };
}
