// Updates never interrupt a backup or an export: a download that lands while one runs waits (installed at quit);
// otherwise the person chooses; a "Restart now" answered after a backup started installs nothing.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Updates } from '../../app/electron/updates';
import { PREFERENCES_FILE, PreferenceFile } from '../../app/desktop/preferences';
import { desktopWords } from '../../app/desktop/words';
import type { Lang } from '../../app/export/i18n';
import { UpdaterDouble } from './updater-double';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tim-updates-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function setup(opts: { packaged?: boolean; answers?: number[]; lang?: Lang } = {}) {
  const updater = new UpdaterDouble();
  const state = { busy: false, asked: [] as string[], told: [] as string[], log: [] as string[], installing: 0 };
  const answers = opts.answers ?? [];
  const dataDir = join(dir, String(Math.random()));
  const updates = new Updates(updater, {
    prefs: new PreferenceFile(dataDir, (l) => state.log.push(l)),
    packaged: opts.packaged ?? true,
    busy: () => state.busy,
    log: (l) => state.log.push(l),
    words: () => desktopWords(opts.lang ?? 'en').updates,
    installing: () => void state.installing++,
    ui: {
      ask: async (message) => {
        state.asked.push(message);
        return answers.shift() ?? 1;
      },
      tell: (message) => void state.told.push(message),
    },
  });
  return { updater, updates, state, dataDir };
}

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('updates', () => {
  it('download in the background and install at quit at the latest, telling the app’s log what they do', () => {
    const { updater, state } = setup();
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    updater.logger!.info('Checking for update');
    expect(state.log).toEqual(['updater: Checking for update']);
  });

  it('wait while a backup runs: no question, no restart', async () => {
    const { updater, updates, state } = setup({ answers: [0] });
    state.busy = true;
    updater.downloaded('2.0.0');
    await tick();
    expect(state.asked).toEqual([]);
    expect(updater.installs).toBe(0);
    expect(state.log.at(-1)).toContain('waits');
    // A backup ends while an export still runs: still nothing.
    await updates.settled();
    expect(state.asked).toEqual([]);
    // The last one ends: offered once.
    state.busy = false;
    await updates.settled();
    await updates.settled();
    expect(state.asked).toEqual(['Version 2.0.0 is ready to install.']);
    expect(updater.installs).toBe(1);
  });

  it('asked about and put off: offered again only when asked for', async () => {
    const { updater, updates, state } = setup({ answers: [1, 0] });
    updater.downloaded('2.0.0');
    await tick();
    await updates.settled();
    expect(state.asked).toHaveLength(1);
    await updates.checkNow();
    expect(state.asked).toHaveLength(2);
    expect(updater.checks).toBe(0);
    expect(updater.installs).toBe(1);
  });

  it('restart only when the person says so and nothing started meanwhile', async () => {
    const later = setup({ answers: [1] });
    later.updater.downloaded('2.0.0');
    await tick();
    expect(later.state.asked).toHaveLength(1);
    expect(later.updater.installs).toBe(0);

    const now = setup({ answers: [0] });
    now.updater.downloaded('2.0.0');
    await tick();
    expect(now.updater.installs).toBe(1);
    // The app was told first, so that its windows close for the installer.
    expect(now.state.installing).toBe(1);
    expect(later.state.installing).toBe(0);

    // Asked while idle; a backup started before the answer came.
    const raced = setup();
    raced.updates['opts'].ui.ask = async () => {
      raced.state.busy = true;
      return 0;
    };
    raced.updater.downloaded('2.0.0');
    await tick();
    expect(raced.updater.installs).toBe(0);
  });

  it('are checked at start unless turned off, and only in the installed app', async () => {
    const { updater, updates, dataDir } = setup();
    await updates.startup();
    expect(updater.checks).toBe(1);
    await updates.setAuto(false);
    expect(JSON.parse(await readFile(join(dataDir, PREFERENCES_FILE), 'utf8'))).toEqual({ autoUpdates: false });
    await updates.startup();
    expect(updater.checks).toBe(1);

    const dev = setup({ packaged: false });
    await dev.updates.startup();
    await dev.updates.checkNow();
    expect(dev.updater.checks).toBe(0);
    expect(dev.state.told).toEqual(['Updates are available only in the installed app.']);
  });

  it('say what a check on demand found, or that it failed', async () => {
    const { updater, updates, state } = setup();
    await updates.checkNow();
    updater.next = { version: '3.0.0' };
    await updates.checkNow();
    updater.next = 'net::ERR_PROXY_CONNECTION_FAILED';
    await updates.checkNow();
    expect(state.told).toEqual(['TIM Group Backup is up to date.', 'Version 3.0.0 is being downloaded.', 'Could not check for updates.']);
    expect(state.log.at(-1)).toContain('ERR_PROXY_CONNECTION_FAILED');

    // In the app's language.
    const zh = setup({ lang: 'zh-CN' });
    await zh.updates.checkNow();
    expect(zh.state.told).toEqual(['TIM Group Backup 已是最新版本。']);
  });
});
