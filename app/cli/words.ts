// The CLI's words for people, in English and Simplified Chinese (docs/glossary.md): backup progress, the column
// headers that name message numbers, and damaged messages. The language is the system locale's (LANG / LC_ALL),
// as for the exports; the Chinese dictionary must have every entry (`satisfies`).

import { type Lang, parseLang, systemLang } from '../export';
import { count } from '../schedule/history';

/** What a progress line says (app/engine/progress.ts RunProgress, in the words a person uses). */
export interface ProgressWords {
  percent: number;
  newMessages: number;
  groupsDone: number;
  groups: number;
  messagesPerSecond: number;
  etaSeconds?: number;
  retries: number;
  /** Parts of the history that could not be fetched (the next backup retries them). */
  failed: number;
  rateLimited: number;
}

/** A message named as a person finds it again: its group (or topic) and its message number. */
export interface MessageRef {
  groupId: string;
  topicId?: string;
  seq: number;
}

/** What an export wrote, for its one-line summary. */
export interface WroteWords {
  messages: number;
  groups: number;
  /** Media files copied in, and their size already formatted ("3.2 MB"). */
  mediaFiles: number;
  mediaSize: string;
  /** The path written; absent for standard output. */
  out?: string;
  html: boolean;
}

/** A duration as the CLI prints it: "45s", "3m05s", "2h07m". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

/** The same in Chinese: "45 秒", "3 分 5 秒", "2 小时 7 分". */
function durationZh(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} 秒`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} 分 ${Math.round(seconds % 60)} 秒`;
  return `${Math.floor(seconds / 3600)} 小时 ${Math.floor((seconds % 3600) / 60)} 分`;
}

const en = {
  progress: (p: ProgressWords) => {
    const trouble = [
      p.retries ? count(p.retries, 'retry', 'retries') : '',
      p.failed ? `${count(p.failed, 'stretch', 'stretches')} of messages could not be fetched` : '',
      p.rateLimited ? `${count(p.rateLimited, 'time')} Tencent asked us to slow down` : '',
    ].filter(Boolean);
    return (
      `${p.percent}% done, ${count(p.newMessages, 'new message')}, ${p.groupsDone} of ${count(p.groups, 'group')} finished, ` +
      `${Math.round(p.messagesPerSecond)} messages/s${p.etaSeconds !== undefined ? `, about ${formatDuration(p.etaSeconds)} left` : ''}${trouble.length ? ` (${trouble.join(', ')})` : ''}`
    );
  },
  backupHeader: ['GROUP', 'STATE', 'NEW MESSAGES', 'NEWEST MESSAGE NO.', 'EXPIRED AT TENCENT', 'MESSAGE NOS. NOT FETCHED', 'NOTE'],
  expiredBelow: (seq: number) => `before no. ${seq}`,
  groupsHeader: ['GROUP ID', 'TYPE', 'NAME', 'NEWEST MESSAGE NO.', 'HISTORY'],
  messageNo: (seq: number) => `No. ${seq}`,
  message: (m: MessageRef) => `group ${m.topicId || m.groupId}, message no. ${m.seq}`,
  damagedMark: '[damaged in the archive: content not shown]',
  rowsIntact: (rows: number) => `Every message matches the checksum saved with it (${count(rows, 'message')} checked).`,
  damagedInArchive: (n: number) =>
    `${count(n, 'message is', 'messages are')} DAMAGED inside the archive: what is stored no longer matches the checksum saved with it, so ${n === 1 ? 'it is' : 'they are'} never shown as if intact:`,
  damagedNext:
    'The next backup replaces damaged messages that Tencent still keeps. One that Tencent no longer has (beyond its retention) can only come back from a copy of the archive.',
  damagedHits: (n: number) => `${count(n, 'hit is', 'hits are')} damaged in the archive and shown without ${n === 1 ? 'its' : 'their'} content:`,
  damagedExported: (n: number) => `${count(n, 'message was', 'messages were')} damaged in the archive and written as damaged, without ${n === 1 ? 'its' : 'their'} content:`,
  repaired: (n: number) => `Replaced ${count(n, 'damaged message')} with Tencent's copy:`,
  beyondRetention: (n: number) => `${count(n, 'damaged message')} could not be replaced: Tencent no longer keeps ${n === 1 ? 'it' : 'them'} (beyond its retention, or deleted):`,
  wrote: (w: WroteWords) => {
    const where = w.out === undefined ? 'standard output' : w.html ? `${w.out} (open index.html)` : w.out;
    const files = w.mediaFiles ? ` and ${count(w.mediaFiles, 'media file')} (${w.mediaSize})` : '';
    return `Wrote ${count(w.messages, 'message')} from ${count(w.groups, 'group')}${files} to ${where}`;
  },
  outcome: {
    ok: 'Backup complete.',
    partial: 'Backup finished WITH GAPS: some groups were skipped or some messages could not be fetched. Run the backup again to retry what failed.',
    cancelled: 'Backup cancelled. Everything fetched so far is saved; run the backup again to continue.',
    failed: (why: string) => `Backup FAILED: ${why}`,
  },
  backupFailed: 'backup failed',
};

type CliWords = typeof en;

const zhCN = {
  progress: (p: ProgressWords) => {
    const trouble = [
      p.retries ? `重试 ${p.retries} 次` : '',
      p.failed ? `${p.failed} 段消息拉取失败` : '',
      p.rateLimited ? `腾讯 ${p.rateLimited} 次提示请求过于频繁` : '',
    ].filter(Boolean);
    return (
      `已完成 ${p.percent}%，新消息 ${p.newMessages} 条，${p.groups} 个群组中已完成 ${p.groupsDone} 个，` +
      `每秒 ${Math.round(p.messagesPerSecond)} 条${p.etaSeconds !== undefined ? `，约剩 ${durationZh(p.etaSeconds)}` : ''}${trouble.length ? `（${trouble.join('，')}）` : ''}`
    );
  },
  backupHeader: ['群组', '状态', '新消息', '最新消息序号', '在腾讯过期', '未拉取的消息序号', '说明'],
  expiredBelow: (seq: number) => `第 ${seq} 条之前`,
  groupsHeader: ['群组 ID', '类型', '群名称', '最新消息序号', '历史消息'],
  messageNo: (seq: number) => `第 ${seq} 条`,
  message: (m: MessageRef) => `群组 ${m.topicId || m.groupId}，消息序号 ${m.seq}`,
  damagedMark: '[归档中已损坏：不显示内容]',
  rowsIntact: (rows: number) => `每条消息都与保存时的校验值相符（已检查 ${rows} 条）。`,
  damagedInArchive: (n: number) => `归档中有 ${n} 条消息已损坏：保存的内容与其校验值不符，因此绝不会当作完好的消息显示：`,
  damagedNext: '下次备份时，腾讯仍保留的已损坏消息会被重新拉取替换。腾讯已不再保留的消息（超出保留期限）只能从归档的副本中恢复。',
  damagedHits: (n: number) => `有 ${n} 条结果在归档中已损坏，显示时不含其内容：`,
  damagedExported: (n: number) => `有 ${n} 条消息在归档中已损坏，已按损坏写出，不含其内容：`,
  repaired: (n: number) => `已用腾讯的副本替换 ${n} 条已损坏的消息：`,
  beyondRetention: (n: number) => `有 ${n} 条已损坏的消息无法替换：腾讯已不再保留（超出保留期限或已删除）：`,
  wrote: (w: WroteWords) => {
    const where = w.out === undefined ? '标准输出' : w.html ? `${w.out}（请打开 index.html）` : w.out;
    const files = w.mediaFiles ? `和 ${w.mediaFiles} 个媒体文件（${w.mediaSize}）` : '';
    return `已把 ${w.groups} 个群组的 ${w.messages} 条消息${files}写入 ${where}`;
  },
  outcome: {
    ok: '备份完成。',
    partial: '备份已结束，但不完整：有群组被跳过，或有消息未能拉取。请再次运行备份，重试失败的部分。',
    cancelled: '备份已取消。已拉取的内容都已保存；再次运行备份即可继续。',
    failed: (why: string) => `备份失败：${why}`,
  },
  backupFailed: '备份失败',
} satisfies CliWords;

const WORDS: Readonly<Record<Lang, CliWords>> = { en, 'zh-CN': zhCN };

/** The language the CLI speaks: --lang when it names one, else the system locale's. */
export function cliLang(lang?: string): Lang {
  return (lang !== undefined ? parseLang(lang) : undefined) ?? systemLang();
}

export function cliWords(lang: Lang = systemLang()): CliWords {
  return WORDS[lang];
}

/** A heading and one indented line per message, as every command lists damaged messages. */
export function messageList(heading: string, messages: readonly MessageRef[], words: CliWords = cliWords()): string {
  return [heading, ...messages.map((m) => `  ${words.message(m)}`)].join('\n');
}
