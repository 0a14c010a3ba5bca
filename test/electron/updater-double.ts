// A stand-in for electron-updater's autoUpdater: counts checks and installs, and lets a test say "downloaded".
import { EventEmitter } from 'node:events';
import type { UpdaterLike } from '../../app/electron/updates';

export class UpdaterDouble extends EventEmitter implements UpdaterLike {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  logger: UpdaterLike['logger'] = null;
  checks = 0;
  installs = 0;
  /** What the next check finds; a string is thrown as an error (no network, a bad feed). */
  next: { version: string } | string | null = null;

  async checkForUpdates() {
    this.checks++;
    if (typeof this.next === 'string') throw new Error(this.next);
    return { isUpdateAvailable: this.next !== null, updateInfo: { version: this.next?.version ?? '9.9.9' } };
  }

  quitAndInstall(): void {
    this.installs++;
  }

  downloaded(version: string): void {
    this.emit('update-downloaded', { version });
  }
}
