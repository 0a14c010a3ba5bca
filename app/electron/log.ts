// The main process's log: a file in the OS's logs folder (a packaged app has no terminal, so without it a crash
// leaves no trace), rotated by size so it never grows without bound, and mirrored to stderr for development.
// Lines are written synchronously: the line that explains a crash must be on disk before the crash.
//
// Every line is scrubbed of the SecretKeys main has seen pass through (setSecretKey, testConnection) and of
// UserSigs, so neither the file nor "Copy diagnostics" (which quotes the last errors) can carry a secret.

import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const LOG_FILE = 'main.log';

export interface LogOptions {
  /** Rotate once the file reaches this size. */
  maxBytes?: number;
  /** Rotated files kept beside the current one: main.1.log (newest) … main.N.log. */
  keep?: number;
  /** Also write each line here (stderr in the app). */
  mirror?: (line: string) => void;
}

/** Recent error lines kept for "Copy diagnostics". */
const RECENT_ERRORS = 20;
/** Shorter strings are not treated as secrets: scrubbing "a" would garble every line. */
const MIN_SECRET_LENGTH = 8;

export class RotatingLog {
  readonly file: string;
  private readonly maxBytes: number;
  private readonly keep: number;
  private readonly mirror: ((line: string) => void) | undefined;
  private readonly secrets = new Set<string>();
  private readonly errors: string[] = [];
  private size: number | undefined;

  constructor(
    readonly dir: string,
    opts: LogOptions = {},
  ) {
    this.file = join(dir, LOG_FILE);
    this.maxBytes = opts.maxBytes ?? 1_000_000;
    this.keep = opts.keep ?? 3;
    this.mirror = opts.mirror;
  }

  /** A secret to keep out of every line from now on. */
  remember(secret: string | undefined): void {
    if (secret && secret.length >= MIN_SECRET_LENGTH) this.secrets.add(secret);
  }

  scrub(text: string): string {
    let out = text.replace(/(usersig=)[^&\s"']+/giu, '$1[hidden]');
    for (const s of this.secrets) out = out.split(s).join('[secret]');
    return out;
  }

  info(message: string): void {
    this.write('info', message);
  }

  error(message: string): void {
    const line = this.write('error', message);
    this.errors.push(line);
    if (this.errors.length > RECENT_ERRORS) this.errors.shift();
  }

  /** The last error lines, oldest first, already scrubbed. */
  recentErrors(): string[] {
    return [...this.errors];
  }

  private write(level: 'info' | 'error', message: string): string {
    const line = `${new Date().toISOString()} ${level} ${this.scrub(message)}`;
    this.mirror?.(line);
    try {
      this.append(`${line}\n`);
    } catch (err) {
      // A full or read-only disk must not stop the app: the line still reached the mirror.
      this.mirror?.(`log file ${this.file} cannot be written: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    return line;
  }

  private append(text: string): void {
    if (this.size === undefined) {
      mkdirSync(this.dir, { recursive: true });
      this.size = statSync(this.file, { throwIfNoEntry: false })?.size ?? 0;
    }
    const bytes = Buffer.byteLength(text);
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    appendFileSync(this.file, text);
    this.size += bytes;
  }

  private rotate(): void {
    const rotated = (n: number) => join(this.dir, LOG_FILE.replace(/\.log$/u, `.${n}.log`));
    rmSync(rotated(this.keep), { force: true });
    for (let n = this.keep - 1; n >= 1; n--) {
      try {
        renameSync(rotated(n), rotated(n + 1));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    renameSync(this.file, rotated(1));
    this.size = 0;
  }
}
