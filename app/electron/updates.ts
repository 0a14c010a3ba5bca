// Updates through electron-updater (GitHub Releases, see electron-builder.yml `publish`): checked at start unless
// the person turned that off, and on demand from the menu. A downloaded update never interrupts a backup or an
// export: while one runs it waits (offered when the last one ends), and it is installed when the app quits anyway
// (after the quit flow has saved every archive); otherwise the person is asked whether to restart now.
//
// electron-updater imports electron, so ./main hands the real one in; tests use a double.

import type { PreferenceFile } from '../desktop/preferences';
import type { DesktopWords } from '../desktop/words';

/** The parts of electron-updater's AppUpdater used here. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  logger: { info(message?: unknown): void; warn(message?: unknown): void; error(message?: unknown): void } | null;
  checkForUpdates(): Promise<{ isUpdateAvailable: boolean; updateInfo: { version: string } } | null>;
  quitAndInstall(): void;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

export interface UpdateUi {
  /** A question with buttons; resolves to the index of the one chosen. */
  ask(message: string, detail: string, buttons: string[]): Promise<number>;
  tell(message: string, detail?: string): void;
}

export interface UpdateOptions {
  /** Where the opt-out is kept (the app's preferences.json, shared with the rest of main). */
  prefs: PreferenceFile;
  /** True while a backup or an export runs. */
  busy(): boolean;
  /** Only an installed app can update itself. */
  packaged: boolean;
  log(line: string): void;
  ui: UpdateUi;
  /** The words, in the app's language at the moment they are said. */
  words(): DesktopWords['updates'];
  /**
   * Installing now: the app must let its windows close. Electron's installer on macOS closes every window before it
   * quits and installs; one hidden into the tray instead would hold the update up for good.
   */
  installing(): void;
}

export class Updates {
  /** A downloaded update waiting for a moment when nothing runs (installed at quit regardless). */
  private pending: string | undefined;
  /** The version last offered: asked about once by itself; "Check for Updates" asks again. */
  private offered: string | undefined;

  constructor(
    private readonly updater: UpdaterLike,
    private readonly opts: UpdateOptions,
  ) {
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    // Its own account of each check and download (feed URLs, versions, checksums) goes into the app's log.
    const say = (m?: unknown) => opts.log(`updater: ${m instanceof Error ? m.message : String(m)}`);
    updater.logger = { info: say, warn: say, error: say };
    updater.on('update-downloaded', (info) => void this.downloaded(info.version));
    // Download failures arrive only here; a failed check also rejects checkForUpdates, which reports it.
    updater.on('error', (err) => opts.log(`update failed: ${err.message}`));
  }

  get auto(): boolean {
    return this.opts.prefs.get().autoUpdates !== false;
  }

  async setAuto(on: boolean): Promise<void> {
    await this.opts.prefs.update({ autoUpdates: on });
  }

  /** At start: a silent check, unless turned off or not installed. */
  async startup(): Promise<void> {
    if (!this.auto || !this.opts.packaged) return;
    await this.check();
  }

  /** From the menu: says what it found. */
  async checkNow(): Promise<void> {
    if (!this.opts.packaged) {
      this.opts.ui.tell(this.opts.words().onlyInstalled);
      return;
    }
    if (this.pending !== undefined) return this.offer(this.pending);
    const found = await this.check();
    const w = this.opts.words();
    if (found === undefined) {
      this.opts.ui.tell(w.cannotCheck, w.cannotCheckDetail);
      return;
    }
    if (found.isUpdateAvailable) this.opts.ui.tell(w.downloading(found.updateInfo.version), w.downloadingDetail);
    else this.opts.ui.tell(w.upToDate);
  }

  private async check() {
    try {
      return (await this.updater.checkForUpdates()) ?? undefined;
    } catch (err) {
      this.opts.log(`update check failed: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  /** A backup or export ended: an update that waited for it is offered now, if nothing else runs. */
  async settled(): Promise<void> {
    if (this.pending === undefined || this.opts.busy() || this.offered === this.pending) return;
    await this.offer(this.pending);
  }

  private async downloaded(version: string): Promise<void> {
    this.pending = version;
    this.opts.log(`update ${version} downloaded`);
    if (this.opts.busy()) {
      this.opts.log(`update ${version} waits: a backup or an export is running (it installs when the app quits)`);
      return;
    }
    await this.offer(version);
  }

  private async offer(version: string): Promise<void> {
    this.offered = version;
    const w = this.opts.words();
    const choice = await this.opts.ui.ask(w.ready(version), w.readyDetail, [w.restartNow, w.later]);
    // Asked and answered while a backup may have started: a running backup is never cut short by an update.
    if (choice !== 0 || this.opts.busy()) return;
    this.opts.installing();
    this.updater.quitAndInstall();
  }
}
