// The desktop app's own preferences (not a profile's): one small JSON file in the data folder, read once at
// start and rewritten whole on each change. A missing or unreadable file is the defaults, never a failed start.

import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lang } from '../export/i18n';

export const PREFERENCES_FILE = 'preferences.json';

export type LangChoice = Lang | 'system';

export interface Preferences {
  /** Updates checked for at start (absent = yes). */
  autoUpdates?: boolean;
  /** The window's language setting, told by the window (setLanguage): main speaks it in notifications, dialogs, tray. */
  lang?: LangChoice;
  /** The person was told once that closing the window keeps the app running in the tray. */
  trayExplained?: boolean;
  /** Profiles whose backups are never told in a notification (the tray's Notifications menu). */
  quietProfiles?: string[];
}

export class PreferenceFile {
  private readonly file: string;
  private prefs: Preferences;
  /** Writes one after another: two quick changes must not land in the wrong order. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string,
    log: (line: string) => void,
  ) {
    this.file = join(dir, PREFERENCES_FILE);
    this.prefs = read(this.file, log);
  }

  get(): Readonly<Preferences> {
    return this.prefs;
  }

  update(patch: Partial<Preferences>): Promise<void> {
    this.prefs = { ...this.prefs, ...patch };
    const text = `${JSON.stringify(this.prefs, null, 2)}\n`;
    this.writing = this.writing.catch(() => undefined).then(async () => {
      await mkdir(this.dir, { recursive: true });
      // Replaced whole: a crash mid-write must not leave half a file (which would read as the defaults).
      await writeFile(`${this.file}.tmp`, text);
      await rename(`${this.file}.tmp`, this.file);
    });
    return this.writing;
  }
}

function read(file: string, log: (line: string) => void): Preferences {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Preferences) : {};
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log(`${file} cannot be read, using the defaults: ${err instanceof Error ? err.message : String(err)}`);
    return {};
  }
}
