// Every failure the worker meets, turned into the contract's { kind, message, said } for a person. Known error
// types carry their own wording in every language (written for community managers, free of secrets); anything
// else is a bug, reported in general terms. As a last guard every sentence is scrubbed of the SecretKeys this
// worker has handled.

import { ArchiveError } from '../archive';
import { type Said, SaidError, type Sentences, type Tables, saidOf, sayAll } from '../errors/said';
import type { AppError, ErrorKind } from '../ipc/contract';
import { ValidationError } from '../ipc/schema';
import { WindowFailed } from '../engine/request';
import { ImError } from '../im/errors';
import { EndpointError } from '../im/regions';
import { FilterError } from '../search/filter';
import { OutputError, SelectionError } from '../export';
import { KeychainError } from '../profiles/keychain';
import { ProfileNotFound, SettingsError } from '../profiles/settings';

type WorkerProblem = 'backup-running' | 'rename-while-backing-up' | 'delete-while-backing-up' | 'no-profile' | 'no-secret-key' | 'group-not-archived' | 'cancelled' | 'internal';

/** What a worker sentence quotes: a profile's or a group's name, or the bug's own words (English). */
interface WorkerFacts {
  profile?: string;
  groupId?: string;
  topicId?: string | undefined;
  detail?: string;
}

export const WORKER_EN = {
  'backup-running': (f) => `A backup of "${f.profile}" is already running. Wait for it to finish, or cancel it first.`,
  'rename-while-backing-up': (f) => `"${f.profile}" is backing up: rename it when the backup has finished.`,
  'delete-while-backing-up': (f) => `"${f.profile}" is backing up: cancel the backup before deleting the profile.`,
  'no-profile': (f) => `There is no saved profile named "${f.profile}".`,
  'no-secret-key': (f) => `The profile "${f.profile}" has no SecretKey yet. Enter it (IM console → your app → Basic configuration), then try again.`,
  'group-not-archived': (f) => `The archive holds nothing of the group ${f.groupId}${f.topicId ? ` (topic ${f.topicId})` : ''} yet. Back it up first.`,
  cancelled: () => 'Cancelled. The next backup continues where this one stopped.',
  internal: (f) => `Something went wrong inside TIM Group Backup (${f.detail}). Please try again; if it keeps happening, report it.`,
} satisfies Sentences<WorkerProblem, WorkerFacts>;

export const WORKER_ZH = {
  'backup-running': (f) => `“${f.profile}”已有一个备份正在运行。请等它完成，或先取消它。`,
  'rename-while-backing-up': (f) => `“${f.profile}”正在备份：请在备份完成后再重命名。`,
  'delete-while-backing-up': (f) => `“${f.profile}”正在备份：请先取消备份，再删除这个应用。`,
  'no-profile': (f) => `没有名为“${f.profile}”的已保存应用。`,
  'no-secret-key': (f) => `应用“${f.profile}”还没有保存密钥。请填写密钥（IM 控制台 → 您的应用 → 基础配置）后再试。`,
  'group-not-archived': (f) => `归档中还没有群组 ${f.groupId}${f.topicId ? `（话题 ${f.topicId}）` : ''} 的任何内容。请先备份它。`,
  cancelled: () => '已取消。下次备份会从这次停下的地方继续。',
  internal: (f) => `TIM Group Backup 内部出错了（${f.detail}）。请再试一次；如果问题持续出现，请反馈给我们。`,
} satisfies Sentences<WorkerProblem, WorkerFacts>;

const WORKER: Tables<WorkerProblem, WorkerFacts> = { en: WORKER_EN, 'zh-CN': WORKER_ZH };

/** A failure the worker itself decides on (busy, no key, unknown group). */
export class WorkerFailure extends SaidError {
  override name = 'WorkerFailure';
  constructor(
    readonly kind: ErrorKind,
    said: Said,
  ) {
    super(said);
  }

  static of(kind: ErrorKind, problem: WorkerProblem, facts: WorkerFacts = {}): WorkerFailure {
    return new WorkerFailure(kind, sayAll(WORKER, problem, facts));
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

function classify(err: unknown): { kind: ErrorKind; message: string } {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof WorkerFailure) return { kind: err.kind, message };
  if (err instanceof ImError) return { kind: imErrorKind(err), message };
  // Retries that ran out: the network or Tencent's rate limit, not the app (listing groups, a backup's start).
  if (err instanceof WindowFailed && err.why !== 'other') return { kind: err.why, message };
  // A request that could not succeed however often it was tried: what Tencent (or whatever answered) said decides,
  // so that a web page where the API should be is not reported as a bug of the app.
  if (err instanceof WindowFailed && err.cause instanceof ImError) return { kind: imErrorKind(err.cause), message };
  if (err instanceof ArchiveError) return { kind: ARCHIVE_KIND[err.kind], message };
  if (err instanceof ProfileNotFound) return { kind: 'not-found', message };
  if (err instanceof SettingsError) return { kind: 'settings', message };
  if (err instanceof KeychainError) return { kind: 'keychain-unavailable', message };
  if (err instanceof SelectionError) return { kind: 'not-found', message };
  if (err instanceof OutputError) return { kind: 'output', message };
  if (err instanceof EndpointError || err instanceof FilterError || err instanceof ValidationError || err instanceof RangeError) {
    return { kind: 'invalid-argument', message };
  }
  return { kind: 'internal', message };
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
    const { kind, message } = classify(err);
    const said = kind === 'internal' ? sayAll(WORKER, 'internal', { detail: message }) : saidOf(err);
    if (!said) return { kind, message: this.scrub(message) };
    return { kind, message: this.scrub(said.en), said: this.scrubSaid(said) };
  }

  scrubSaid(said: Said): Said {
    return { en: this.scrub(said.en), 'zh-CN': this.scrub(said['zh-CN']) };
  }
}
