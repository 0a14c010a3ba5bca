// What the desktop shell says outside the window — the quit question, the OS notifications, the tray menu, the
// first-time "still running in the tray" note and main's error dialogs — in English and in Chinese that follows
// docs/glossary.md (profile = 应用, group = 群组, 归档, 完整). Numbers and dates arrive formatted for the language
// (./notices.ts); the completeness sentences themselves come from app/export/i18n.ts through app/coverage.

import type { ErrorKind } from '../ipc/contract';
import type { Lang } from '../export/i18n';

/** Why a backup stopped, in words per cause: the worker's own message is English and may quote Tencent. */
export type StopCause = Extract<ErrorKind, 'network' | 'credentials' | 'rate-limited' | 'archive-locked' | 'archive-unwritable' | 'archive-unreadable' | 'no-secret-key'>;

export interface DesktopWords {
  appName: string;
  quitBackup: { title: string; message: string; detail: string; keep: string; quit: string };
  quitExport: { title: string; message: string; detail: (seconds: number) => string; keep: string; quit: string };
  workerStopped: string;
  /** What main answers the window when it will not do what was asked (shown in the window as the error). */
  refused: { showNotOurs: string; openNotOurs: string; openFailed: (reason: string) => string; httpsOnly: string; mediaNotStored: string };
  recover: { loadFailed: string; crashed: string; detail: string; reload: string; quit: string };
  notice: {
    doneTitle: string;
    gapsTitle: string;
    failedTitle: string;
    cancelledTitle: string;
    attentionTitle: string;
    /** "Demo: 120 new messages." */
    newMessages: (profile: string, n: number, count: string) => string;
    /** Every group of the run holds everything Tencent still has. */
    allComplete: (n: number, count: string) => string;
    /** Some do not: how many do, of how many. */
    someComplete: (complete: string, total: string) => string;
    /** A group's verdict sentence, after its name. */
    groupVerdict: (group: string, verdict: string) => string;
    cancelled: (profile: string) => string;
    failed: (profile: string) => string;
    failedBecause: (profile: string, cause: string) => string;
    stopCause: Record<StopCause, string>;
    /** Deadlines: groups whose oldest not-archived messages may expire at Tencent before the next backup. */
    expiring: (profile: string, groups: string, at: string) => string;
    /** A few group names, and how many there are in all when not every one is named. */
    groupList: (shown: string[], total: number) => string;
    /** The suspend pause: said at resume when the backup starts again. */
    resumed: (profile: string) => string;
    resumedTitle: string;
    /** Sentences one after another: a space between English ones, none between Chinese ones. */
    sentences: (parts: string[]) => string;
  };
  tray: {
    tooltip: string;
    idle: string;
    running: (profiles: string[]) => string;
    lastBackup: (profile: string, when: string, outcome: string) => string;
    outcome: { ok: string; partial: string; failed: string; cancelled: string };
    backUpNow: string;
    backUpProfile: (profile: string) => string;
    noProfiles: string;
    open: string;
    /** A submenu: one checkbox per profile. */
    notifications: string;
    startAtLogin: string;
    quit: string;
  };
  keepsRunning: { title: string; body: string };
  ok: string;
  updates: {
    onlyInstalled: string;
    cannotCheck: string;
    cannotCheckDetail: string;
    upToDate: string;
    downloading: (version: string) => string;
    downloadingDetail: string;
    ready: (version: string) => string;
    readyDetail: string;
    restartNow: string;
    later: string;
  };
}

const en: DesktopWords = {
  appName: 'TIM Group Backup',
  quitBackup: {
    title: 'A backup is running',
    message: 'A backup is still running. Quit anyway?',
    detail: 'If you quit, the backup stops after saving everything fetched so far. The next backup continues where it stopped.',
    keep: 'Keep backing up',
    quit: 'Stop the backup and quit',
  },
  quitExport: {
    title: 'An export is running',
    message: 'An export is still running. Quit anyway?',
    detail: (s) => `TIM Group Backup waits up to ${s} seconds for it to finish; after that the export is incomplete: export again later.`,
    keep: 'Keep exporting',
    quit: 'Quit',
  },
  workerStopped: 'The part of TIM Group Backup that runs backups stopped unexpectedly. Please restart TIM Group Backup; your archive is safe.',
  refused: {
    showNotOurs: 'Only files TIM Group Backup wrote on this computer can be shown in their folder.',
    openNotOurs: 'Only files TIM Group Backup wrote on this computer can be opened from it.',
    openFailed: (reason) => `The file could not be opened: ${reason}`,
    httpsOnly: 'Only https:// links can be opened from TIM Group Backup.',
    mediaNotStored: 'This file is not in the archive (it may not have been downloaded yet).',
  },
  recover: {
    loadFailed: 'The window of TIM Group Backup could not be loaded.',
    crashed: 'The window of TIM Group Backup stopped unexpectedly.',
    detail: 'Backups running in the background are not affected. If this keeps happening, use Help → Copy Diagnostics and report it.',
    reload: 'Reload the window',
    quit: 'Quit',
  },
  notice: {
    doneTitle: 'Backup complete',
    gapsTitle: 'Backup finished: not everything is archived',
    failedTitle: 'Backup failed',
    cancelledTitle: 'Backup stopped',
    attentionTitle: 'Messages may soon be deleted at Tencent',
    newMessages: (profile, n, count) => `${profile}: ${count} new ${n === 1 ? 'message' : 'messages'}.`,
    allComplete: (n, count) => (n === 1 ? 'The group holds everything Tencent still has.' : `All ${count} groups hold everything Tencent still has.`),
    someComplete: (complete, total) => `${complete} of ${total} groups hold everything Tencent still has.`,
    groupVerdict: (group, verdict) => `${group}: ${verdict}`,
    cancelled: (profile) => `${profile}: the next backup continues where this one stopped.`,
    failed: (profile) => `${profile}: open TIM Group Backup to see why.`,
    failedBecause: (profile, cause) => `${profile}: ${cause}`,
    stopCause: {
      network: 'Tencent could not be reached. Check the network connection; the next backup tries again.',
      credentials: 'Tencent refused the SecretKey or the admin account. Check the profile in TIM Group Backup.',
      'no-secret-key': 'The profile has no SecretKey yet. Enter it in TIM Group Backup.',
      'rate-limited': 'Tencent kept answering “too many requests”. Lower the profile’s rate, or back up when your own server is quieter.',
      'archive-locked': 'Another backup (the command line, or another copy of the app) is using the archive.',
      'archive-unwritable': 'The archive cannot be saved: the disk may be full or read-only.',
      'archive-unreadable': 'The archive file is damaged or not an archive. Open TIM Group Backup to see what to do.',
    },
    expiring: (profile, groups, at) => `${profile}: the oldest messages not archived in ${groups} may be deleted at Tencent from ${at}. Open TIM Group Backup and back up now.`,
    groupList: (shown, total) => (total > shown.length ? `${shown.join(', ')} and ${total - shown.length} more ${total - shown.length === 1 ? 'group' : 'groups'}` : shown.join(', ')),
    resumed: (profile) => `${profile}: the backup stopped while the computer slept and is continuing now.`,
    resumedTitle: 'Backup continues',
    sentences: (parts) => parts.join(' '),
  },
  tray: {
    tooltip: 'TIM Group Backup',
    idle: 'No backup running',
    running: (profiles) => `Backing up ${profiles.join(', ')}…`,
    lastBackup: (profile, when, outcome) => `${profile}: last backup ${when}, ${outcome}`,
    outcome: { ok: 'complete', partial: 'not everything archived', failed: 'failed', cancelled: 'stopped' },
    backUpNow: 'Back Up Now',
    backUpProfile: (profile) => `Back Up “${profile}” Now`,
    noProfiles: 'No profiles yet',
    open: 'Open TIM Group Backup',
    notifications: 'Notifications',
    startAtLogin: 'Start at Login (in the Tray)',
    quit: 'Quit TIM Group Backup',
  },
  keepsRunning: {
    title: 'TIM Group Backup keeps running',
    body: 'Scheduled backups go on while the window is closed. To stop them, choose Quit in the TIM Group Backup icon’s menu.',
  },
  ok: 'OK',
  updates: {
    onlyInstalled: 'Updates are available only in the installed app.',
    cannotCheck: 'Could not check for updates.',
    cannotCheckDetail: 'Check your network connection (and proxy settings), then try again.',
    upToDate: 'TIM Group Backup is up to date.',
    downloading: (version) => `Version ${version} is being downloaded.`,
    downloadingDetail: 'You will be asked to restart once it is ready.',
    ready: (version) => `Version ${version} is ready to install.`,
    readyDetail: 'Restart TIM Group Backup now to use it, or later: it is installed when you quit.',
    restartNow: 'Restart now',
    later: 'Later',
  },
};

const zhCN: DesktopWords = {
  appName: 'TIM Group Backup',
  quitBackup: {
    title: '正在备份',
    message: '备份还在进行中，仍要退出吗？',
    detail: '退出后，备份会先保存已拉取的全部消息再停止。下次备份会从停下的地方继续。',
    keep: '继续备份',
    quit: '停止备份并退出',
  },
  quitExport: {
    title: '正在导出',
    message: '导出还在进行中，仍要退出吗？',
    detail: (s) => `TIM Group Backup 最多等待 ${s} 秒让导出完成；超时后导出文件不完整，请稍后重新导出。`,
    keep: '继续导出',
    quit: '退出',
  },
  workerStopped: 'TIM Group Backup 负责备份的部分意外停止了。请重新启动 TIM Group Backup，归档不受影响。',
  refused: {
    showNotOurs: '只能在文件夹中显示 TIM Group Backup 在这台电脑上生成的文件。',
    openNotOurs: '只能打开 TIM Group Backup 在这台电脑上生成的文件。',
    openFailed: (reason) => `无法打开该文件：${reason}`,
    httpsOnly: 'TIM Group Backup 只能打开加密（以 https:// 开头）的网页链接。',
    mediaNotStored: '归档中没有这个文件（可能还没有下载）。',
  },
  recover: {
    loadFailed: 'TIM Group Backup 的窗口无法加载。',
    crashed: 'TIM Group Backup 的窗口意外停止了。',
    detail: '在后台进行的备份不受影响。如果反复出现，请使用“帮助 → 复制诊断信息”并反馈给我们。',
    reload: '重新加载窗口',
    quit: '退出',
  },
  notice: {
    doneTitle: '备份完成',
    gapsTitle: '备份结束：尚未全部归档',
    failedTitle: '备份失败',
    cancelledTitle: '备份已停止',
    attentionTitle: '部分消息即将在腾讯被删除',
    newMessages: (profile, _n, count) => `${profile}：新增 ${count} 条消息。`,
    allComplete: (n, count) => (n === 1 ? '该群组在腾讯现存的消息已全部归档。' : `${count} 个群组在腾讯现存的消息均已全部归档。`),
    someComplete: (complete, total) => `${total} 个群组中有 ${complete} 个已归档腾讯现存的全部消息。`,
    groupVerdict: (group, verdict) => `${group}：${verdict}`,
    cancelled: (profile) => `${profile}：下次备份会从停下的地方继续。`,
    failed: (profile) => `${profile}：请打开 TIM Group Backup 查看原因。`,
    failedBecause: (profile, cause) => `${profile}：${cause}`,
    stopCause: {
      network: '无法连接腾讯云。请检查网络连接，下次备份会自动重试。',
      credentials: '腾讯拒绝了密钥（SecretKey）或 App 管理员账号。请在 TIM Group Backup 中检查该应用的设置。',
      'no-secret-key': '该应用还没有填写密钥（SecretKey）。请在 TIM Group Backup 中填写。',
      'rate-limited': '腾讯持续返回“请求过于频繁”。请调低该应用的请求频率，或在您自己的服务器较空闲时再备份。',
      'archive-locked': '归档正被另一个备份（命令行，或另一个正在运行的本应用）使用。',
      'archive-unwritable': '归档无法保存：磁盘可能已满或为只读。',
      'archive-unreadable': '归档文件已损坏或不是本应用的归档。请打开 TIM Group Backup 查看处理办法。',
    },
    expiring: (profile, groups, at) => `${profile}：${groups}中尚未归档的最早消息可能从 ${at} 起在腾讯被删除。请打开 TIM Group Backup 立即备份。`,
    groupList: (shown, total) => (total > shown.length ? `${shown.join('、')} 等 ${total} 个群组` : shown.join('、')),
    resumed: (profile) => `${profile}：电脑睡眠时备份暂停了，现在继续进行。`,
    resumedTitle: '备份继续进行',
    sentences: (parts) => parts.join(''),
  },
  tray: {
    tooltip: 'TIM Group Backup',
    idle: '当前没有进行中的备份',
    running: (profiles) => `正在备份 ${profiles.join('、')}…`,
    lastBackup: (profile, when, outcome) => `${profile}：上次备份于 ${when}，${outcome}`,
    outcome: { ok: '已完成', partial: '尚未全部归档', failed: '失败', cancelled: '已停止' },
    backUpNow: '立即备份',
    backUpProfile: (profile) => `立即备份“${profile}”`,
    noProfiles: '还没有应用',
    open: '打开 TIM Group Backup',
    notifications: '通知',
    startAtLogin: '登录时启动（在托盘中运行）',
    quit: '退出 TIM Group Backup',
  },
  keepsRunning: {
    title: 'TIM Group Backup 仍在运行',
    body: '关闭窗口后，定时备份仍会照常进行。如需停止，请在 TIM Group Backup 图标的菜单中选择“退出”。',
  },
  ok: '确定',
  updates: {
    onlyInstalled: '只有安装版才能自动更新。',
    cannotCheck: '无法检查更新。',
    cannotCheckDetail: '请检查网络连接（以及代理设置）后重试。',
    upToDate: 'TIM Group Backup 已是最新版本。',
    downloading: (version) => `正在下载 ${version} 版。`,
    downloadingDetail: '下载完成后会询问您是否重新启动。',
    ready: (version) => `${version} 版已可安装。`,
    readyDetail: '现在重新启动 TIM Group Backup 即可使用新版本；也可以稍后，退出时会自动安装。',
    restartNow: '立即重新启动',
    later: '稍后',
  },
};

const WORDS: Readonly<Record<Lang, DesktopWords>> = { en, 'zh-CN': zhCN };

export function desktopWords(lang: Lang): DesktopWords {
  return WORDS[lang];
}
