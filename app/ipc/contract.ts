// The one IPC contract of the desktop app, shared by the renderer, the preload, the main process and the worker.
//
// - `Contract` lists every operation the renderer may call: its one argument (or none) and its result value.
//   The preload exposes each as `window.api.<name>(args)` returning `Promise<Result<value>>`; nothing throws
//   across the boundary.
// - `Events` lists what the renderer can subscribe to: `window.api.on<Name>(listener)` returns an unsubscribe.
// - Every argument is validated at runtime by main before anything happens (./validators).
//
// This file is imported by the renderer's build, which has no Node types: it may import types only from modules
// that are free of Node (export/view, search/filter, search/snippet, export/i18n). Everything that crosses is
// plain structured-clone data. The SecretKey only ever travels renderer → main (setSecretKey, or a key typed
// for testConnection before it is saved); no operation returns it, and no error message contains it.

import type { Completeness } from '../coverage/verdict';
import type { GroupProgress, GroupState, RunCounters, RunProgress } from '../engine/progress';
import type { MessageView } from '../export/view';
import type { Said } from '../errors/said';
import type { Lang } from '../export/i18n';
import type { FilterKind, MessageFilter } from '../search/filter';
import type { Segment } from '../search/snippet';
import type { MemberEntry, Period, PersonEntry, PersonGroup } from '../people/types';
import type { Attention, Deadline, DeadlineBasis, Estimate, GroupEstimate, GroupLastRunEntry, GroupStatus, NextRun, ProfileDue, ProfileOverview, RunEntry, RunGroupEntry, RunOutcome, RunTrigger, Schedule } from '../schedule/types';

export type { Lang, MessageFilter, FilterKind, MessageView, Said, Segment };
export type { MemberEntry, Period, PersonEntry, PersonGroup };
export type { Attention, Deadline, DeadlineBasis, Estimate, GroupEstimate, GroupLastRunEntry, GroupStatus, NextRun, ProfileDue, ProfileOverview, RunEntry, RunGroupEntry, RunOutcome, RunTrigger, Schedule };

// ---- results and errors ------------------------------------------------------------------------------------

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/**
 * What went wrong, for the renderer to switch on. `message` is a sentence for a community manager (English;
 * never a secret, never a stack trace); `said` is the same sentence in every language of the window, when the
 * error was worded in them (the window shows its own language's; `message` stays for logs).
 */
export interface AppError {
  kind: ErrorKind;
  message: string;
  said?: Said;
}

export type ErrorKind =
  /** The arguments failed validation (a renderer bug, or a value a person typed that is out of range). */
  | 'invalid-argument'
  /** The call did not come from the app's own top-level page. */
  | 'forbidden'
  /** No saved profile of that name, or no such group / export in the archive. */
  | 'not-found'
  /** The profile has no SecretKey in the keychain yet: ask for it (setSecretKey). */
  | 'no-secret-key'
  /** The settings file cannot be read or saved, or a profile name is already taken. */
  | 'settings'
  /** The OS keychain cannot be reached (on Linux: no Secret Service running, or the keyring is locked). */
  | 'keychain-unavailable'
  /** Tencent refused the credentials; `message` says which part is wrong. */
  | 'credentials'
  /** Tencent could not be reached, or answered with trouble (timeouts, 5xx, broken answers). */
  | 'network'
  /** Tencent kept answering "too many requests" (the app's allowance is shared with its own backend). */
  | 'rate-limited'
  /** The archive is used by another backup (the CLI, or another copy of the app). */
  | 'archive-locked'
  /** The archive file is damaged, not an archive, or from a newer version. */
  | 'archive-unreadable'
  /** The archive cannot be saved (disk full, no permission). */
  | 'archive-unwritable'
  /** A backup of this profile is already running (or an export holds the archive). */
  | 'busy'
  /** An export destination cannot be used (exists and is not ours, not writable). */
  | 'output'
  /** The operation was cancelled. */
  | 'cancelled'
  /** A bug: the message says what happened in general terms; details go to the main process log only. */
  | 'internal';

// ---- profiles and credentials ------------------------------------------------------------------------------

/** Saved settings for one Tencent IM app. The SecretKey is not here: it lives in the OS keychain only. */
export interface Profile {
  /** Unique, 1–64 characters; how the person tells profiles apart. */
  name: string;
  /** A region ID (`singapore`, see REGIONS in app/im/regions.ts) or an http(s) base URL (a proxy). */
  endpoint: string;
  /** The app's SDKAppID. */
  sdkAppId: number;
  /** An App admin account. */
  admin: string;
  /** Requests per second this app may use, 1–200 (Tencent allows 200 per app, shared with your backend). */
  rate: number;
  /** Absolute path of this profile's archive file. */
  archivePath: string;
  /** The demo profile: talks to the built-in emulator of Tencent's API with a public demo key. */
  demo?: boolean;
  /** How long the app's plan keeps history at Tencent, in days (7, 30, 90 or more); absent = 7, the shortest. */
  retentionDays?: number;
  /** Backups that run by themselves; absent = only by hand. */
  schedule?: Schedule;
  /** What backups keep of images, files, voice and video; absent = everything up to 200 MB a file (app/media/policy.ts). */
  media?: MediaSettings;
}

/** A profile's media settings; sizes in bytes, absent = the default. */
export interface MediaSettings {
  mode: 'all' | 'thumbnails' | 'none';
  maxBytes?: number;
  diskFloorBytes?: number;
}

/** What the setup screen sends. `archivePath` omitted = a file of the profile's name in the app's data folder. */
export interface ProfileInput {
  name: string;
  endpoint: string;
  sdkAppId: number;
  admin: string;
  rate: number;
  archivePath?: string;
  retentionDays?: number;
  schedule?: Schedule;
  media?: MediaSettings;
}

export interface SaveProfileArgs {
  profile: ProfileInput;
  /** Renaming: the profile's current name. Its SecretKey moves to the new name. */
  previousName?: string;
}

export interface ProfileRef {
  profile: string;
}

export interface SetSecretKeyArgs extends ProfileRef {
  secretKey: string;
}

export interface TestConnectionArgs {
  /** A saved profile's name, or the unsaved fields of the setup screen. */
  profile: string | ProfileInput;
  /** A key typed but not saved yet; omitted = the one in the keychain for this profile's name. */
  secretKey?: string;
}

/**
 * The outcome of a connection test. `problem` names exactly what is wrong, so the setup screen can point at the
 * field: the key, the SDKAppID, the admin account, the app's status at Tencent, the endpoint, or the network.
 */
export type ConnectionReport =
  | { ok: true; ms: number; totalGroups: number }
  | { ok: false; ms: number; problem: ConnectionProblem; message: string; said?: Said };

export type ConnectionProblem = 'key' | 'sdkappid' | 'not-admin' | 'app-disabled' | 'endpoint' | 'network' | 'rate-limited' | 'no-key' | 'other';

// ---- groups, coverage -------------------------------------------------------------------------------------

export interface Range {
  lo: number;
  hi: number;
}

export interface ListGroupsArgs extends ProfileRef {
  /** 'tencent': ask Tencent (paged, 1 call/s) and add the archive's state; 'archive': offline, archived groups only. */
  source: 'tencent' | 'archive';
}

export interface GroupEntry {
  groupId: string;
  /** Community topics are archived as groups of their own. */
  topicId?: string;
  type?: string;
  name?: string;
  memberNum?: number;
  /** Newest Seq Tencent reported (now, or at the last backup for source 'archive'). */
  newestSeq?: number;
  /** Unix seconds. */
  lastMsgTime?: number;
  /** False for AVChatRoom/BChatRoom (Tencent keeps no history) and groups Tencent refused. */
  canBackUp: boolean;
  /** Why the group cannot be backed up, for a person to read (English, may quote Tencent). */
  reason?: string;
  /** The same, as a kind the window words in its own language: no history kept at Tencent, gone from Tencent, refused by Tencent. */
  reasonKind?: 'no-history' | 'gone' | 'refused';
  /** False when the archive holds the group but Tencent no longer lists it (dismissed); undefined for source 'archive'. */
  atTencent?: boolean;
  /** What the archive holds; absent when it holds nothing of this group. */
  archive?: GroupArchiveState;
}

export interface GroupArchiveState {
  /** Lowest and highest archived Seq. */
  oldestSeq?: number;
  newestSeq?: number;
  /** Messages held, by the one count every screen and export uses (app/coverage/verdict.ts). */
  messages: number;
  /** Seqs that could not be fetched (fetchMissing retries them). */
  failedSeqs: number;
  /** Seqs up to the newest known one that no backup has fetched yet. */
  missingSeqs: number;
  /** When a backup last looked at this group, ms since the epoch. */
  lastBackupAt?: number;
  /** Complete, complete since a date (older history expired at Tencent), incomplete, or not known yet. */
  completeness: Completeness;
}

export interface GroupRef extends ProfileRef {
  groupId: string;
  topicId?: string;
}

export interface CoverageReport {
  groupId: string;
  topicId?: string;
  name?: string;
  /** The verdict and every count, as the Groups screen, `tim-backup status` and the exports state them. */
  completeness: Completeness;
  /** Unix seconds of the oldest and newest message held: the dates at the ends of the map. */
  oldestTime?: number;
  newestTime?: number;
  covered: Range[];
  expiredRanges: Range[];
  failedRanges: Range[];
  /** Never fetched (neither covered, expired nor failed), up to the newest known Seq. fetchMissing fetches these and failedRanges. */
  gaps: Range[];
}

// ---- backup ------------------------------------------------------------------------------------------------

export interface StartBackupArgs extends ProfileRef {
  /** Groups to back up; empty = every group of the app that keeps history. */
  groups: { groupId: string; topicId?: string }[];
  /** For the run history: 'scheduled' when the app's scheduler starts it; absent = 'manual'. */
  trigger?: Exclude<RunTrigger, 'cli'>;
}

export interface RunHistoryArgs extends ProfileRef {
  /** A run ID: the runs before it (the next page back). */
  before?: number;
  limit: number;
}

export interface RetryRunArgs extends ProfileRef {
  /** A run from runHistory whose `canRetry` is true. */
  runId: number;
}

export interface EstimateArgs extends ProfileRef {
  /** Groups to estimate; empty = every group of the app that keeps history (as startBackup). */
  groups: { groupId: string }[];
}

export interface BackupStarted {
  /** Identifies this backup's events. */
  backupId: string;
  /** Groups asked for; 0 = every group that keeps history (counted once listed: see the progress events). */
  groups: number;
}

export type GroupBackupState = GroupState;
export type GroupBackupProgress = GroupProgress;
/** The engine's progress as it crosses to the window (run id, pacer rate and done flag are the worker's business). */
export type BackupProgress = Omit<RunProgress, 'runId' | 'pacerRate' | 'done'>;

export type BackupOutcome = 'ok' | 'partial' | 'failed' | 'cancelled';

/** The backup under way, with its last progress (absent until the first progress event). */
export interface RunningBackup {
  backupId: string;
  progress?: BackupProgress;
}

export interface BackupSummary extends RunCounters {
  /** The run in the archive's history (runHistory); absent when the backup stopped before it was recorded. */
  runId?: number;
  outcome: BackupOutcome;
  /** Why the run stopped, when it did not finish (credentials, cancel, archive trouble): English, for logs. */
  error?: string;
  /** The same in every language of the window, when it was worded in them. */
  errorSaid?: Said;
  /** The ErrorKind of that stop, when there is one (e.g. 'credentials' → send the person to the profile). */
  errorKind?: ErrorKind;
  groups: (GroupBackupProgress & { failedRanges: Range[] })[];
  elapsedMs: number;
}

// ---- search and reader -------------------------------------------------------------------------------------

export type SortOrder = 'newest' | 'oldest';

export interface SearchArgs extends ProfileRef {
  query: string;
  filter: MessageFilter;
  order: SortOrder;
  /** The `next` of the previous page; omitted for the first page. Opaque. */
  after?: string;
  /** 1–200. */
  limit: number;
}

export interface SearchHit {
  groupId: string;
  topicId?: string;
  groupName?: string;
  seq: number;
  sender: { account: string; name?: string };
  /** Unix seconds. */
  time: number;
  /** Element kinds and state, as the filter names them (text, image, …, system, recalled, deleted). */
  kinds: string[];
  /** The text around the first matches; `match` segments are the marked ones. Render as text, never as HTML. */
  snippet: Segment[];
  /** The archived message is damaged (it no longer matches its checksum): show that, not a snippet (it has none). */
  damaged?: boolean;
}

export interface SearchPage {
  hits: SearchHit[];
  /** Present when there may be more: pass it as `after`. */
  next?: string;
  /** Set when the query has nothing searchable: a sentence to show instead of results, in every language. */
  nothingToSearch?: Said;
}

/** Where a reader page starts. */
export type ReadAnchor =
  | { at: 'oldest' }
  | { at: 'newest' }
  | { at: 'seq'; seq: number }
  /** The first message at or after this moment (Unix seconds): "jump to date". */
  | { at: 'time'; time: number };

export interface ReadPageArgs extends GroupRef {
  anchor: ReadAnchor;
  /**
   * 'after': messages with Seq ≥ anchor (> for paging on: pass the last Seq you have); 'before': Seq ≤ anchor
   * (< when paging back); 'around': up to `limit` on each side of the anchor, the anchor included.
   */
  direction: 'before' | 'after' | 'around';
  /** 1–500 messages per side. */
  limit: number;
  /** Leave the anchor itself out ('before'/'after' paging from a Seq you already have). */
  exclusive?: boolean;
}

export interface ReaderPage {
  /** Ascending by Seq; view models as the HTML export renders them. */
  messages: MessageView[];
  /** More messages exist before the first / after the last one of this page. */
  hasBefore: boolean;
  hasAfter: boolean;
  /** The message the anchor resolved to (jump to Seq/date, open a hit in context), when there is one. */
  focusSeq?: number;
}

export interface ContextArgs extends GroupRef {
  seq: number;
  /** Messages before and after, 0–200 each. */
  before: number;
  after: number;
}

// ---- export ------------------------------------------------------------------------------------------------

export type ExportFormat = 'html' | 'jsonl' | 'csv' | 'txt';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['html', 'jsonl', 'csv', 'txt'];
/** copy: the stored images, voice messages, videos and files the transcript shows go with it; none: named only. */
export type ExportMedia = 'copy' | 'none';
export const EXPORT_MEDIA: readonly ExportMedia[] = ['copy', 'none'];

export interface ExportArgs extends ProfileRef {
  format: ExportFormat;
  /**
   * Absolute path: a folder for html (created; must be new, empty or an earlier export), one file for the others.
   * Never the archive or a file named after it; never through a symbolic link (app/export/destination.ts).
   */
  out: string;
  /** The person confirmed replacing an existing file (the save dialog asks); otherwise an existing file is refused. */
  replace?: boolean;
  filter: MessageFilter;
  /** Language of the transcript, and of a refused destination's message. */
  lang: Lang;
  /** IANA zone of the times shown; omitted = the system's. */
  timeZone?: string;
  /** Omitted = copy, as on the command line. */
  media?: ExportMedia;
}

export interface ExportStarted {
  exportId: string;
}

/** An export still running, with its last progress (`total` once counted). */
export interface RunningExport {
  exportId: string;
  messages: number;
  total?: number;
}

export interface ExportDone {
  /** What to pass to showInFolder: the html folder's index.html, or the file written. */
  path: string;
  messages: number;
  groups: number;
  /** html: pages written. */
  pages?: number;
  /** Messages whose archived copy is damaged (it no longer matches its checksum): exported as damage. */
  damaged?: number;
  /** The stored media files the export includes, and their bytes (0 when media were left out). */
  mediaFiles: number;
  mediaBytes: number;
}

// ---- what is running ---------------------------------------------------------------------------------------

/**
 * A profile's backup and exports still running in the worker: a window opened or reloaded meanwhile re-attaches
 * to their progress (their events carry on as usual).
 */
export interface RunningTasks {
  /** At most one backup runs per profile. */
  backup?: RunningBackup;
  exports: RunningExport[];
}

// ---- main-process services ---------------------------------------------------------------------------------

export interface ChooseFolderArgs {
  /** Words for the dialog's title bar. */
  title: string;
  /** 'file' asks for a file name to save (jsonl/csv/txt exports, an archive); 'folder' picks a folder. */
  kind: 'folder' | 'file';
  /** A suggested file name ('file' only). */
  defaultName?: string;
}

export interface PathArgs {
  path: string;
}

/** A stored media file, named by content: the renderer never holds a path to one. */
export interface MediaFileArgs {
  /** 64 lowercase hex digits, from a message view's media copy. */
  sha256: string;
  /** The file's name in the message: only suggested as the saved copy's name. */
  name?: string;
}

export interface UrlArgs {
  /** https only; anything else is refused. */
  url: string;
}

export interface LanguageArgs {
  /** The window's language setting: a language, or the system's. */
  lang: Lang | 'system';
}

export interface AppInfo {
  version: string;
  /** The OS locale, e.g. "zh-CN" or "en-US". */
  locale: string;
  /** The UI language that locale maps to. */
  lang: Lang;
  platform: 'darwin' | 'win32' | 'linux' | string;
  packaged: boolean;
  /** Where profiles and (by default) archives are kept. */
  dataDir: string;
}

// ---- the contract ------------------------------------------------------------------------------------------

/** Every operation: its one argument (or none) → the value of its Result. */
export interface Contract {
  listProfiles(): Profile[];
  /** Creates or replaces (by name; renames with previousName). Returns the profile as saved. */
  saveProfile(args: SaveProfileArgs): Profile;
  /** Deletes the profile and its SecretKey; the archive file is kept. */
  deleteProfile(args: ProfileRef): void;
  setSecretKey(args: SetSecretKeyArgs): void;
  hasSecretKey(args: ProfileRef): boolean;
  deleteSecretKey(args: ProfileRef): void;
  testConnection(args: TestConnectionArgs): ConnectionReport;
  /** Starts the built-in emulator of Tencent's API (once) and saves the "Demo" profile pointing at it. */
  startDemo(): Profile;

  listGroups(args: ListGroupsArgs): GroupEntry[];
  coverage(args: GroupRef): CoverageReport;
  startBackup(args: StartBackupArgs): BackupStarted;
  /** Resolves once the backup has stopped (its backupDone event carries the summary). */
  cancelBackup(args: ProfileRef): void;
  /** Backs up only what a group is missing: gaps and failed ranges (a backup like any other, with its events). */
  fetchMissing(args: GroupRef): BackupStarted;
  /** Backs up again the groups a run left unfinished ("retry what failed"); 'not-found' when nothing is left. */
  retryRun(args: RetryRunArgs): BackupStarted;
  /** Before a backup: groups, messages, requests and time at the profile's rate, disk. Lists the groups at Tencent. */
  estimate(args: EstimateArgs): Estimate;

  /** The Overview: last and next backup, each group's deadline, what needs attention, archive size, free disk. */
  overview(args: ProfileRef): ProfileOverview;
  /** The profile's backups, newest first. */
  runHistory(args: RunHistoryArgs): RunEntry[];
  /** Every profile's schedule facts, for the app's scheduler (app/schedule/scheduler.ts) in the main process. */
  scheduledProfiles(): ProfileDue[];
  /** Everyone the archive knows of a group: current members first, then who left and other senders, with name history. */
  members(args: GroupRef): MemberEntry[];
  /** Everyone the archive knows in any of the profile's groups, each once, with their groups, names and messages. */
  people(args: ProfileRef): PersonEntry[];

  search(args: SearchArgs): SearchPage;
  /** The messages around one (a search hit opened in context). */
  context(args: ContextArgs): ReaderPage;
  readPage(args: ReadPageArgs): ReaderPage;

  /** Starts an export; its progress and end arrive as exportProgress / exportDone events. */
  export(args: ExportArgs): ExportStarted;
  /** The profile's backup and exports still running, with their last progress. */
  runningTasks(args: ProfileRef): RunningTasks;

  /** A native dialog; null when the person cancels. Main process only. */
  chooseFolder(args: ChooseFolderArgs): string | null;
  /** Reveals a file or folder in the OS file manager. Main process only. */
  showInFolder(args: PathArgs): void;
  /** Opens a finished export in its app: an HTML export's index.html in the browser, a file in the app for its type. Main process only. */
  openPath(args: PathArgs): void;
  /** Opens an https URL in the default browser. Main process only. */
  openExternal(args: UrlArgs): void;
  /**
   * "Save as…" for a stored media file (by its sha256, never a path): a native save dialog suggesting the name
   * (made safe: app/media/file-name.ts), then a copy there. The path saved to, or null when the person cancelled.
   */
  saveMedia(args: MediaFileArgs): string | null;
  /** Reveals a stored media file (by its sha256) in the archive's media folder. Main process only. */
  showMedia(args: MediaFileArgs): void;
  appInfo(): AppInfo;
  /** The window's language setting, so that main's notifications, dialogs and tray speak it too. Main process only. */
  setLanguage(args: LanguageArgs): void;
}

export type Operation = keyof Contract;
export type ArgsOf<K extends Operation> = Parameters<Contract[K]>;
export type ValueOf<K extends Operation> = ReturnType<Contract[K]>;

/** Operations answered by the main process itself (native dialogs, the shell, app facts). */
export type MainOperation = 'chooseFolder' | 'showInFolder' | 'openPath' | 'openExternal' | 'saveMedia' | 'showMedia' | 'appInfo' | 'setLanguage';
/** Operations forwarded to the worker, which owns profiles, keychain, archive, engine, search and export. */
export type WorkerOperation = Exclude<Operation, MainOperation>;

/** Where each operation runs; a record, so a new operation cannot be left unwired. */
export const OPERATION_HOME: { readonly [K in Operation]: K extends MainOperation ? 'main' : 'worker' } = {
  listProfiles: 'worker',
  saveProfile: 'worker',
  deleteProfile: 'worker',
  setSecretKey: 'worker',
  hasSecretKey: 'worker',
  deleteSecretKey: 'worker',
  testConnection: 'worker',
  startDemo: 'worker',
  listGroups: 'worker',
  coverage: 'worker',
  startBackup: 'worker',
  cancelBackup: 'worker',
  fetchMissing: 'worker',
  retryRun: 'worker',
  estimate: 'worker',
  overview: 'worker',
  runHistory: 'worker',
  scheduledProfiles: 'worker',
  members: 'worker',
  people: 'worker',
  search: 'worker',
  context: 'worker',
  readPage: 'worker',
  export: 'worker',
  runningTasks: 'worker',
  chooseFolder: 'main',
  showInFolder: 'main',
  openPath: 'main',
  openExternal: 'main',
  saveMedia: 'main',
  showMedia: 'main',
  appInfo: 'main',
  setLanguage: 'main',
};

/** Every operation name, at runtime (the preload and main iterate it). */
export const OPERATIONS = Object.keys(OPERATION_HOME) as Operation[];

// ---- events ------------------------------------------------------------------------------------------------

/**
 * The screen that explains what a notification said, for the window to open when the person clicks it
 * (app/desktop/notices.ts decides which): a backup's end in the run history, groups left incomplete on their
 * Coverage, a deadline on the Overview, a backup that continues on the Backup screen, a refused key in Setup.
 */
export type NavigateTarget =
  | { profile: string; screen: 'overview' | 'backup' | 'setup' }
  | { profile: string; screen: 'history'; runId?: number }
  | { profile: string; screen: 'coverage'; groups: { groupId: string; topicId?: string }[] };

export interface Events {
  /** At most ~10 per second per backup. */
  backupProgress: { profile: string; backupId: string; progress: BackupProgress };
  backupDone: { profile: string; backupId: string; summary: BackupSummary };
  /** While listGroups({source:'tencent'}) pages through the app's groups (1 page per second). */
  groupsProgress: { profile: string; listed: number; total: number };
  /** At most ~10 per second per export; `total` is undefined until known: show an indeterminate bar. */
  exportProgress: { profile: string } & RunningExport;
  exportDone: { profile: string; exportId: string; result: Result<ExportDone> };
  /** From main only, to the app's own window: a notification was clicked; show the screen that explains it. */
  navigate: NavigateTarget;
}

export type EventName = keyof Events;

const EVENT_SET: { readonly [K in EventName]: true } = { backupProgress: true, backupDone: true, groupsProgress: true, exportProgress: true, exportDone: true, navigate: true };
export const EVENTS = Object.keys(EVENT_SET) as EventName[];

export type Unsubscribe = () => void;

// ---- what the renderer sees --------------------------------------------------------------------------------

type Subscriptions = { [K in EventName as `on${Capitalize<K>}`]: (listener: (event: Events[K]) => void) => Unsubscribe };

/** `window.api`: one function per operation, one subscription per event. */
export type RendererApi = { [K in Operation]: (...args: ArgsOf<K>) => Promise<Result<ValueOf<K>>> } & Subscriptions;

/** The global name the preload exposes the API under (`window.api`). */
export const API_GLOBAL = 'api';

/** IPC channel names: invoke channels per operation, send channels per event. */
export const channel = {
  operation: (op: Operation) => `tim:op:${op}`,
  event: (name: EventName) => `tim:event:${name}`,
} as const;

/** `onBackupProgress` ← `backupProgress`. */
export function subscriptionName<K extends EventName>(name: K): `on${Capitalize<K>}` {
  return `on${name[0]!.toUpperCase()}${name.slice(1)}` as `on${Capitalize<K>}`;
}
