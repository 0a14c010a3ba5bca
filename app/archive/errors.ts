// Every way opening or saving an archive can fail, as one error type with a kind the CLI and the desktop app
// can switch on, and a message a community manager can act on, in every language (ARCHIVE_ZH has every sentence
// ARCHIVE_EN has).

import { SaidError, type Sentences, type Tables, sayAll } from '../errors/said';

export type ArchiveErrorKind = 'corrupt' | 'foreign' | 'too-new' | 'locked' | 'unwritable' | 'disk-full' | 'not-found' | 'unsupported';

/** Why a file is damaged, foreign or cannot be written: the clause in brackets after the sentence. */
export type ArchiveWhy =
  | 'not-sqlite'
  | 'header'
  | 'cut-short'
  | 'sqlite-reports'
  | 'integrity'
  | 'a-folder'
  | 'other-program'
  | 'read-only'
  | 'sqlite-cannot-open'
  | 'disk-error'
  | 'lock-create'
  | 'lock-write'
  | 'cannot-read'
  | 'cannot-place'
  | 'opened-read-only';

type ArchiveSentence =
  | 'corrupt'
  | 'foreign'
  | 'too-new'
  | 'empty'
  | 'not-found'
  | 'folder-not-found'
  | 'part-of-folder-is-file'
  | 'folder-denied'
  | 'unwritable'
  | 'lost-changes'
  | 'disk-full'
  | 'busy'
  | 'locked'
  | 'no-full-text'
  | 'no-archive-yet';

/** What the sentences quote. `detail` is SQLite's or the system's own words (English), for whoever fixes it. */
export interface ArchiveFacts {
  path: string;
  why?: ArchiveWhy;
  detail?: string;
  folder?: string;
  lock?: string;
  appId?: number;
  version?: number;
  supported?: number;
  sqlite?: string;
  holder?: { pid: number; hostname: string; time?: string };
}

export const ARCHIVE_WHY_EN = {
  'not-sqlite': () => 'it is not an SQLite database',
  header: () => 'its header is damaged',
  'cut-short': () => 'the file is cut short',
  'sqlite-reports': (f) => `SQLite reports: ${f.detail}`,
  integrity: (f) => `SQLite's integrity check failed after an unclean shutdown: ${f.detail}`,
  'a-folder': () => 'it is a folder',
  'other-program': (f) => `it is an SQLite database of another program${f.appId ? `, application id ${f.appId}` : ''}`,
  'read-only': () => 'the file or its folder is read-only',
  'sqlite-cannot-open': () => 'SQLite cannot open it or create its journal beside it',
  'disk-error': (f) => `the disk reported an error (${f.detail})`,
  'lock-create': (f) => `the lock file ${f.lock} cannot be created (${f.detail})`,
  'lock-write': (f) => `the lock file ${f.lock} cannot be written (${f.detail})`,
  'cannot-read': (f) => `it cannot be read (${f.detail})`,
  'cannot-place': (f) => `the new archive cannot be moved into place (${f.detail}): a program may have the file there open`,
  'opened-read-only': () => 'it was opened read-only',
} satisfies Sentences<ArchiveWhy, ArchiveFacts>;

export const ARCHIVE_WHY_ZH = {
  'not-sqlite': () => '它不是 SQLite 数据库',
  header: () => '文件头已损坏',
  'cut-short': () => '文件不完整，被截断了',
  'sqlite-reports': (f) => `SQLite 报告：${f.detail}`,
  integrity: (f) => `上次未正常关闭后，SQLite 的完整性检查未通过：${f.detail}`,
  'a-folder': () => '它是一个文件夹',
  'other-program': (f) => `它是其他程序的 SQLite 数据库${f.appId ? `，application id 为 ${f.appId}` : ''}`,
  'read-only': () => '文件或其所在文件夹是只读的',
  'sqlite-cannot-open': () => 'SQLite 无法打开它，或无法在旁边创建日志文件',
  'disk-error': (f) => `磁盘报告了错误（${f.detail}）`,
  'lock-create': (f) => `无法创建锁文件 ${f.lock}（${f.detail}）`,
  'lock-write': (f) => `无法写入锁文件 ${f.lock}（${f.detail}）`,
  'cannot-read': (f) => `无法读取它（${f.detail}）`,
  'cannot-place': (f) => `新归档无法移动到这个位置（${f.detail}）：可能有程序正打开着该位置上的文件`,
  'opened-read-only': () => '它是以只读方式打开的',
} satisfies Sentences<ArchiveWhy, ArchiveFacts>;

const whyEn = (f: ArchiveFacts) => (f.why ? ARCHIVE_WHY_EN[f.why](f) : '');
const whyZh = (f: ArchiveFacts) => (f.why ? ARCHIVE_WHY_ZH[f.why](f) : '');
const holderEn = (f: ArchiveFacts) =>
  f.holder ? `process ${f.holder.pid} on ${f.holder.hostname}${f.holder.time ? `, since ${f.holder.time}` : ''}` : 'another process';
const holderZh = (f: ArchiveFacts) =>
  f.holder ? `${f.holder.hostname} 上的进程 ${f.holder.pid}${f.holder.time ? `，自 ${f.holder.time} 起` : ''}` : '另一个进程';

export const ARCHIVE_EN = {
  corrupt: (f) =>
    `The file ${f.path} is damaged or is not an archive (${whyEn(f)}). It was left untouched. Restore it from a copy, or choose another file name to start a new archive.`,
  foreign: (f) => `${f.path} is not a TIM Group Backup archive (${whyEn(f)}). It was left untouched. Choose another file name for the archive.`,
  'too-new': (f) =>
    `The archive ${f.path} was written by a newer version of TIM Group Backup (archive format ${f.version}; this version reads up to ${f.supported}). Update TIM Group Backup to open it.`,
  empty: (f) =>
    `${f.path} is an empty file, not an archive yet: nothing has been backed up into it. Run a backup to create the archive there (the empty file is replaced).`,
  'not-found': (f) => `There is no archive at ${f.path}. Check the path, or run a backup to create one.`,
  'folder-not-found': (f) => `The folder ${f.folder} does not exist. Create it first, or choose another place for the archive.`,
  'part-of-folder-is-file': (f) => `The archive ${f.path} cannot be created: part of ${f.folder} is a file, not a folder. Choose another place for the archive.`,
  'folder-denied': (f) => `The archive ${f.path} cannot be written: its folder ${f.folder} does not allow it. Choose a folder you can write to.`,
  unwritable: (f) => `The archive ${f.path} cannot be written: ${whyEn(f)}. Choose a folder you can write to.`,
  'lost-changes': (f) =>
    `The archive ${f.path} could not keep its most recent changes (${f.detail}). What was saved before is intact: run the backup again and it fetches the rest again.`,
  'disk-full': (f) =>
    `The disk is full, so the archive ${f.path} could not be saved. What was saved before is intact. Free some disk space, then run the backup again: it continues where it stopped.`,
  busy: (f) =>
    `The archive ${f.path} is held by another program (SQLite reports it busy). Close other programs that are writing to it (DB Browser for SQLite with unsaved changes, say), then try again.`,
  locked: (f) =>
    `The archive ${f.path} is in use by another TIM Group Backup (${holderEn(f)}). Wait for that backup to finish, or stop it. If no backup is running any more, delete the lock file ${f.lock} and try again.`,
  'no-full-text': (f) =>
    `The archive ${f.path} cannot be used with this program's SQLite (version ${f.sqlite}): it lacks the full-text search module (FTS4) the archive needs. Run TIM Group Backup with Node.js 24 (the project's own scripts and npx tim-backup do), or the desktop app.`,
  'no-archive-yet': () => 'This profile has no archive yet: back up some groups first, then export them.',
} satisfies Sentences<ArchiveSentence, ArchiveFacts>;

export const ARCHIVE_ZH = {
  corrupt: (f) => `文件 ${f.path} 已损坏或不是归档（${whyZh(f)}）。它没有被改动。请从副本恢复，或换一个文件名开始新的归档。`,
  foreign: (f) => `${f.path} 不是 TIM Group Backup 的归档（${whyZh(f)}）。它没有被改动。请为归档换一个文件名。`,
  'too-new': (f) =>
    `归档 ${f.path} 是由更新版本的 TIM Group Backup 写入的（归档格式 ${f.version}；当前版本最高只能读取 ${f.supported}）。请更新 TIM Group Backup 后再打开。`,
  empty: (f) => `${f.path} 是一个空文件，还不是归档：还没有任何内容备份到其中。运行一次备份即可在那里创建归档（空文件会被替换）。`,
  'not-found': (f) => `${f.path} 没有归档。请检查路径，或运行一次备份来创建归档。`,
  'folder-not-found': (f) => `文件夹 ${f.folder} 不存在。请先创建它，或为归档另选位置。`,
  'part-of-folder-is-file': (f) => `无法创建归档 ${f.path}：${f.folder} 中有一部分是文件，而不是文件夹。请为归档另选位置。`,
  'folder-denied': (f) => `无法写入归档 ${f.path}：文件夹 ${f.folder} 不允许写入。请选择一个您有写入权限的文件夹。`,
  unwritable: (f) => `无法写入归档 ${f.path}：${whyZh(f)}。请选择一个您有写入权限的文件夹。`,
  'lost-changes': (f) => `归档 ${f.path} 未能保留最近的改动（${f.detail}）。之前保存的内容完好无损：再次运行备份，会重新拉取其余的消息。`,
  'disk-full': (f) => `磁盘已满，无法保存归档 ${f.path}。之前保存的内容完好无损。请释放一些磁盘空间，然后再次运行备份：它会从停下的地方继续。`,
  busy: (f) =>
    `归档 ${f.path} 正被另一个程序占用（SQLite 报告它忙）。请关闭正在写入它的其他程序（例如有未保存修改的 DB Browser for SQLite），然后再试。`,
  locked: (f) =>
    `归档 ${f.path} 正被另一个 TIM Group Backup 使用（${holderZh(f)}）。请等那次备份完成，或停止它。如果已经没有备份在运行，请删除锁文件 ${f.lock} 后再试。`,
  'no-full-text': (f) =>
    `归档 ${f.path} 无法在这个程序的 SQLite（版本 ${f.sqlite}）中使用：它缺少归档需要的全文搜索模块（FTS4）。请用 Node.js 24 运行 TIM Group Backup（项目自带的脚本和 npx tim-backup 就是如此），或使用桌面版。`,
  'no-archive-yet': () => '这个应用还没有归档：请先备份一些群组，然后再导出。',
} satisfies Sentences<ArchiveSentence, ArchiveFacts>;

const ARCHIVE: Tables<ArchiveSentence, ArchiveFacts> = { en: ARCHIVE_EN, 'zh-CN': ARCHIVE_ZH };

export class ArchiveError extends SaidError {
  override readonly name = 'ArchiveError';

  constructor(
    readonly kind: ArchiveErrorKind,
    sentence: ArchiveSentence,
    readonly facts: ArchiveFacts,
    options?: { cause?: unknown },
  ) {
    super(sayAll(ARCHIVE, sentence, facts), options);
  }

  get path(): string {
    return this.facts.path;
  }
}

type Cause = unknown;

export const archiveErrors = {
  corrupt: (path: string, why: ArchiveWhy, detail?: string, cause?: Cause) =>
    new ArchiveError('corrupt', 'corrupt', { path, why, ...(detail !== undefined ? { detail } : {}) }, { cause }),
  foreign: (path: string, why: 'a-folder' | 'other-program', appId?: number) =>
    new ArchiveError('foreign', 'foreign', { path, why, ...(appId ? { appId } : {}) }),
  tooNew: (path: string, version: number, supported: number) => new ArchiveError('too-new', 'too-new', { path, version, supported }),
  empty: (path: string) => new ArchiveError('not-found', 'empty', { path }),
  notFound: (path: string) => new ArchiveError('not-found', 'not-found', { path }),
  /** The desktop app's profile that has not backed anything up yet. */
  noArchiveYet: (path: string) => new ArchiveError('not-found', 'no-archive-yet', { path }),
  folderNotFound: (path: string, folder: string) => new ArchiveError('not-found', 'folder-not-found', { path, folder }),
  partOfFolderIsFile: (path: string, folder: string, cause?: Cause) => new ArchiveError('unwritable', 'part-of-folder-is-file', { path, folder }, { cause }),
  folderDenied: (path: string, folder: string, cause?: Cause) => new ArchiveError('unwritable', 'folder-denied', { path, folder }, { cause }),
  unwritable: (path: string, why: ArchiveWhy, more: Pick<ArchiveFacts, 'detail' | 'lock'> = {}, cause?: Cause) =>
    new ArchiveError('unwritable', 'unwritable', { path, why, ...more }, { cause }),
  /** SQLite abandoned the open transaction itself (out of memory, I/O error): the writes since the last commit are gone. */
  lostChanges: (path: string, detail: string, cause?: Cause) => new ArchiveError('unwritable', 'lost-changes', { path, detail }, { cause }),
  diskFull: (path: string, cause?: Cause) => new ArchiveError('disk-full', 'disk-full', { path }, { cause }),
  busy: (path: string, cause?: Cause) => new ArchiveError('locked', 'busy', { path }, { cause }),
  /** Another TIM Group Backup holds the writer's lock. */
  locked: (path: string, lock: string, holder?: ArchiveFacts['holder']) => new ArchiveError('locked', 'locked', { path, lock, ...(holder ? { holder } : {}) }),
  noFullText: (path: string, sqlite: string, cause?: Cause) => new ArchiveError('unsupported', 'no-full-text', { path, sqlite }, { cause }),
};

/** The errno-style code of a Node system error, if it is one. */
export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}
