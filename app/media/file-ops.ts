// The desktop app's "Save as…" and "Show in folder" for a stored media file, named by its sha256: the file is
// looked up among what the archives stored (never a path from the window), the suggested name is the message's
// name made safe, and only the native dialog's answer is written to. Electron-free: main passes its dialog and
// shell, the browser bridge of the end-to-end tests its stand-ins.

import { copyFile } from 'node:fs/promises';
import type { MediaFileArgs } from '../ipc/contract';
import { saveName } from './file-name';
import type { StoredFileLookup } from './protocol';

export interface MediaShell {
  /** A native save dialog suggesting `defaultName`; the chosen path, or null when cancelled. */
  chooseSavePath(defaultName: string): Promise<string | null>;
  /** Reveals a file in the OS file manager. */
  reveal(path: string): void;
  /** The sentence for a sha256 no archive stored, in the window's language. */
  notStored?: () => string;
}

/** Raised for a sha256 no archive stored: main answers it as the caller's mistake. */
export class MediaNotStored extends Error {
  override name = 'MediaNotStored';
  constructor(message = 'This file is not in the archive (it may not have been downloaded yet).') {
    super(message);
  }
}

export function mediaFileOps(lookup: StoredFileLookup, shell: MediaShell) {
  const stored = async (sha256: string) => {
    const file = await lookup(sha256);
    if (!file) throw new MediaNotStored(shell.notStored?.());
    return file;
  };
  return {
    async saveMedia({ sha256, name }: MediaFileArgs): Promise<string | null> {
      const file = await stored(sha256);
      const to = await shell.chooseSavePath(saveName(name, `${sha256}${extensionOf(file.mime)}`));
      if (to === null) return null;
      await copyFile(file.path, to);
      return to;
    },
    async showMedia({ sha256 }: MediaFileArgs): Promise<void> {
      shell.reveal((await stored(sha256)).path);
    },
  };
}

function extensionOf(mime: string): string {
  const sub = /^[a-z]+\/([a-z0-9]+)$/u.exec(mime)?.[1];
  return sub && sub !== 'octet' ? `.${sub === 'jpeg' ? 'jpg' : sub}` : '';
}
