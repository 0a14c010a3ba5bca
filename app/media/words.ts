// Every word the CLI (and the app) says about media, in English and Simplified Chinese. English is the source;
// the Chinese table must have every entry (`satisfies`).

import type { Lang } from '../export/i18n';
import type { MediaRunSummary } from './downloader';
import type { MediaState } from './model';
import { type MediaErrorCode, parseReason } from './reasons';

const en = {
  states: {
    pending: 'not downloaded yet',
    stored: 'stored',
    expired: 'expired at Tencent',
    failed: 'failed',
    'too-large': 'too large (not downloaded)',
    skipped: 'left out by the media setting',
    'no-url': 'no download link (sent by an old app version)',
  } satisfies Record<MediaState, string>,
  reasons: {
    expired: (d: string) => `Tencent no longer has the file (${d}).`,
    'refused-scheme': (d: string) => `Not downloaded: the link is not a web address (${d}:).`,
    'refused-address': (d: string) => `Not downloaded: the link leads into a private network (${d}).`,
    'refused-url': (d: string) => `Not downloaded: unsafe link (${d}).`,
    'too-many-redirects': (d: string) => `Not downloaded: the link redirected more than ${d} times.`,
    'bad-redirect': (d: string) => `Not downloaded: a broken redirect (${d}).`,
    'longer-than-declared': (d: string) => `Cut off: the server sent more than the ${d} bytes the message declares.`,
    'shorter-than-declared': (d: string) => `Incomplete: only ${d} bytes arrived.`,
    'too-large': (d: string) => `Larger than the maximum file size (${d} bytes).`,
    'http-status': (d: string) => `The server answered ${d}.`,
    network: (d: string) => `Network problem (${d}).`,
    timeout: () => 'The download stalled (no data for too long).',
    'write-failed': (d: string) => `Could not write to the media folder (${d}).`,
    cancelled: () => 'The backup was stopped during the download.',
  } satisfies Record<MediaErrorCode, (detail: string) => string>,
  kinds: { image: 'image', file: 'file', sound: 'voice message', video: 'video' },
  diskPaused: (free: string, floor: string) =>
    `Media downloads paused: only ${free} free on the media folder's drive (the floor is ${floor}). Messages are still being backed up; media continue when space is freed.`,
  diskResumed: 'Enough free space again: media downloads continue.',
  diskStillLow: 'Media still waiting for free disk space: run "tim-backup media retry" once space is freed.',
  summary: (stored: string, pending: string, expired: string, failed: string) =>
    `Media: ${stored} stored, ${pending} waiting, ${expired} expired at Tencent, ${failed} failed.`,
  avatars: (n: string) => `Avatars: ${n} new pictures stored.`,
  unavailable: (why: string) => `No media were downloaded: the media folder cannot be used (${why}). The messages are backed up; fix the folder and run "tim-backup media retry".`,
  nothingMissing: 'Every media file of the archived messages is stored (or left out by the media setting).',
  header: { group: 'GROUP', message: 'MESSAGE', kind: 'KIND', name: 'NAME', size: 'SIZE', state: 'STATE', why: 'WHY' },
  statusHeader: { stored: 'MEDIA STORED', waiting: 'WAITING', expired: 'EXPIRED', failed: 'FAILED', notKept: 'NOT KEPT', bytes: 'MEDIA SIZE' },
};

type Words = typeof en;

const zhCN = {
  states: {
    pending: '尚未下载',
    stored: '已保存',
    expired: '腾讯云上已过期',
    failed: '下载失败',
    'too-large': '文件过大（未下载）',
    skipped: '按媒体设置未下载',
    'no-url': '没有下载地址（旧版 SDK 发送）',
  },
  reasons: {
    expired: (d: string) => `腾讯云上已没有该文件（${d}）。`,
    'refused-scheme': (d: string) => `未下载：链接不是网址（${d}:）。`,
    'refused-address': (d: string) => `未下载：链接指向内网地址（${d}）。`,
    'refused-url': (d: string) => `未下载：链接不安全（${d}）。`,
    'too-many-redirects': (d: string) => `未下载：链接重定向超过 ${d} 次。`,
    'bad-redirect': (d: string) => `未下载：重定向无效（${d}）。`,
    'longer-than-declared': (d: string) => `已截断：服务器返回的数据超过消息声明的 ${d} 字节。`,
    'shorter-than-declared': (d: string) => `不完整：只收到 ${d} 字节。`,
    'too-large': (d: string) => `超过文件大小上限（${d} 字节）。`,
    'http-status': (d: string) => `服务器返回 ${d}。`,
    network: (d: string) => `网络问题（${d}）。`,
    timeout: () => '下载停滞（长时间没有收到数据）。',
    'write-failed': (d: string) => `无法写入媒体文件夹（${d}）。`,
    cancelled: () => '备份在下载过程中被停止。',
  },
  kinds: { image: '图片', file: '文件', sound: '语音', video: '视频' },
  diskPaused: (free: string, floor: string) =>
    `媒体下载已暂停：媒体文件夹所在磁盘只剩 ${free} 可用空间（下限为 ${floor}）。消息备份照常进行；腾出空间后媒体下载会继续。`,
  diskResumed: '磁盘空间已足够：媒体下载继续。',
  diskStillLow: '媒体仍在等待磁盘空间：腾出空间后请运行 "tim-backup media retry"。',
  summary: (stored: string, pending: string, expired: string, failed: string) =>
    `媒体：已保存 ${stored} 个，等待中 ${pending} 个，腾讯云上已过期 ${expired} 个，失败 ${failed} 个。`,
  avatars: (n: string) => `头像：新保存 ${n} 张。`,
  unavailable: (why: string) => `未下载任何媒体：媒体文件夹无法使用（${why}）。消息已备份；修复文件夹后请运行 "tim-backup media retry"。`,
  nothingMissing: '已归档消息中的媒体文件都已保存（或按媒体设置未下载）。',
  header: { group: '群组', message: '消息', kind: '类型', name: '名称', size: '大小', state: '状态', why: '原因' },
  statusHeader: { stored: '媒体已保存', waiting: '等待中', expired: '已过期', failed: '失败', notKept: '未保存', bytes: '媒体大小' },
} satisfies Words;

export function mediaWords(lang: Lang): Words {
  return lang === 'zh-CN' ? zhCN : en;
}

/** What a run of the downloader came to, in a line or two (backup's summary, `media retry`). */
export function describeMediaRun(words: Words, m: MediaRunSummary): string {
  const line = words.summary(String(m.stored), String(m.waiting), String(m.expired), String(m.failed)) + (m.avatars > 0 ? `\n${words.avatars(String(m.avatars))}` : '');
  if (m.unavailable) return `${line}\n${words.unavailable(m.unavailable)}`;
  return m.diskPaused ? `${line}\n${words.diskStillLow}` : line;
}

/** A stored last_error in words. */
export function reasonText(words: Words, lastError: string | null): string {
  if (!lastError) return '';
  const r = parseReason(lastError);
  return r.code ? words.reasons[r.code](r.detail) : r.detail;
}
