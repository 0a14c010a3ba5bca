// Every failure the worker meets, turned into the contract's { kind, message } for a person. Known error types
// carry their own wording (written for community managers, free of secrets); anything else is a bug, reported in
// general terms. As a last guard every message is scrubbed of the SecretKeys this worker has handled.

import { ArchiveError } from '../archive';
import type { AppError, ErrorKind } from '../ipc/contract';
import { ValidationError } from '../ipc/schema';
import { WindowFailed } from '../engine/request';
import { ImError } from '../im/errors';
import { EndpointError } from '../im/regions';
import { FilterError } from '../search/filter';
import { OutputError, SelectionError } from '../export';
import { KeychainError } from '../profiles/keychain';
import { ProfileNotFound, SettingsError } from '../profiles/settings';

/** A failure the worker itself decides on (busy, no key, unknown group). */
export class WorkerFailure extends Error {
  override name = 'WorkerFailure';
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
  }
}

const ARCHIVE_KIND: Record<ArchiveError['kind'], ErrorKind> = {
  locked: 'archive-locked',
  corrupt: 'archive-unreadable',
  foreign: 'archive-unreadable',
  'too-new': 'archive-unreadable',
  'not-found': 'archive-unreadable',
  unwritable: 'archive-unwritable',
  'disk-full': 'archive-unwritable',
  unsupported: 'archive-unreadable',
};

export function imErrorKind(err: ImError): ErrorKind {
  // The contract has no kind of its own for a wrong endpoint; the message names it.
  if (err.wrongEndpoint) return 'network';
  switch (err.kind) {
    case 'credentials':
      return 'credentials';
    case 'rate-limited':
      return 'rate-limited';
    case 'transient':
      return 'network';
    default:
      return 'internal';
  }
}

function classify(err: unknown): AppError {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof WorkerFailure) return { kind: err.kind, message };
  if (err instanceof ImError) return { kind: imErrorKind(err), message };
  // Retries that ran out: the network or Tencent's rate limit, not the app (listing groups, a backup's start).
  if (err instanceof WindowFailed && err.why !== 'other') return { kind: err.why, message };
  if (err instanceof ArchiveError) return { kind: ARCHIVE_KIND[err.kind], message };
  if (err instanceof ProfileNotFound) return { kind: 'not-found', message };
  if (err instanceof SettingsError) return { kind: 'settings', message };
  if (err instanceof KeychainError) return { kind: 'keychain-unavailable', message };
  if (err instanceof SelectionError) return { kind: 'not-found', message };
  if (err instanceof OutputError) return { kind: 'output', message };
  if (err instanceof EndpointError || err instanceof FilterError || err instanceof ValidationError || err instanceof RangeError) {
    return { kind: 'invalid-argument', message };
  }
  return { kind: 'internal', message: `Something went wrong inside TIM Group Backup (${message}). Please try again; if it keeps happening, report it.` };
}

/** SecretKeys this worker has read or been given; never sent anywhere, only used to scrub outgoing text. */
export class SecretScrubber {
  private readonly secrets = new Set<string>();

  remember(secret: string): string {
    // Short strings would scrub ordinary words; real keys are 64 characters.
    if (secret.length >= 8) this.secrets.add(secret);
    return secret;
  }

  scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.replaceAll(s, '[SecretKey]');
    return out;
  }

  toAppError(err: unknown): AppError {
    const e = classify(err);
    return { kind: e.kind, message: this.scrub(e.message) };
  }
}
