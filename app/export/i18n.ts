import type { CompletenessWords } from '../coverage/verdict';
import type { MediaState } from '../media/types';
import type { TipEvent } from './tips';

/** How a sentence about a group event names people: the caller's, so names read as they do elsewhere. */
export interface TipFormat {
  person: (p: { account: string; name?: string }) => string;
}

/** A mute's length in the largest whole unit: 600 → [10, 'minute']. */
function durationParts(seconds: number): [number, 'day' | 'hour' | 'minute' | 'second'] {
  for (const [unit, size] of [['day', 86400], ['hour', 3600], ['minute', 60]] as const) if (seconds >= size && seconds % size === 0) return [seconds / size, unit];
  return [seconds, 'second'];
}

function durationEn(seconds: number): string {
  const [n, unit] = durationParts(seconds);
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

function durationZh(seconds: number): string {
  const [n, unit] = durationParts(seconds);
  return `${n} ${{ day: '天', hour: '小时', minute: '分钟', second: '秒' }[unit]}`;
}

function listEn(names: string[]): string {
  if (names.length <= 1) return names[0] ?? 'someone';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function tipEn(e: TipEvent, f: TipFormat): string {
  const op = e.operator ? f.person(e.operator) : 'An admin';
  const who = listEn(e.members.map(f.person));
  const quoted = e.text !== undefined ? `“${e.text}”` : '';
  switch (e.kind) {
    case 'join': return `${who} joined the group`;
    case 'invite': return `${op} invited ${who} to the group`;
    case 'leave': return `${who} left the group`;
    case 'kick': return `${op} removed ${who} from the group`;
    case 'admin-set': return `${op} made ${who} an admin`;
    case 'admin-unset': return `${op} removed ${who} as admin`;
    case 'rename': return `${op} renamed the group to ${quoted}`;
    case 'notice': return `${op} changed the group notice`;
    case 'introduction': return `${op} changed the group introduction`;
    case 'avatar': return `${op} changed the group picture`;
    case 'profile': return `${op} changed the group profile`;
    case 'mute-all': return `${op} muted everyone in the group`;
    case 'unmute-all': return `${op} lifted the mute on everyone`;
    case 'mute': return `${op} muted ${who} for ${durationEn(e.seconds ?? 0)}`;
    case 'unmute': return `${op} lifted the mute on ${who}`;
    case 'member-info': return `${op} changed ${who}’s member details`;
    case 'topic-created': return `${op} created the topic ${quoted}`.trimEnd();
    case 'topic-deleted': return `${op} deleted the topic ${quoted}`.trimEnd();
    case 'topic-changed': return `${op} changed the topic ${quoted}`.trimEnd();
    case 'dismissed': return 'The group was dismissed';
    case 'created': return `${op} created the group`;
    case 'other': return e.text !== undefined ? `Group notice: ${e.text}` : 'Group update';
  }
}

function tipZh(e: TipEvent, f: TipFormat): string {
  const op = e.operator ? f.person(e.operator) : '管理员';
  const who = e.members.map(f.person).join('、') || '某人';
  const quoted = e.text !== undefined ? `“${e.text}”` : '';
  switch (e.kind) {
    case 'join': return `${who} 加入了群聊`;
    case 'invite': return `${op} 邀请 ${who} 加入了群聊`;
    case 'leave': return `${who} 退出了群聊`;
    case 'kick': return `${op} 将 ${who} 移出了群聊`;
    case 'admin-set': return `${op} 将 ${who} 设为管理员`;
    case 'admin-unset': return `${op} 取消了 ${who} 的管理员身份`;
    case 'rename': return `${op} 将群名称修改为${quoted}`;
    case 'notice': return `${op} 修改了群公告`;
    case 'introduction': return `${op} 修改了群简介`;
    case 'avatar': return `${op} 修改了群头像`;
    case 'profile': return `${op} 修改了群资料`;
    case 'mute-all': return `${op} 开启了全员禁言`;
    case 'unmute-all': return `${op} 关闭了全员禁言`;
    case 'mute': return `${op} 将 ${who} 禁言 ${durationZh(e.seconds ?? 0)}`;
    case 'unmute': return `${op} 解除了 ${who} 的禁言`;
    case 'member-info': return `${op} 修改了 ${who} 的群成员资料`;
    case 'topic-created': return `${op} 创建了话题${quoted}`;
    case 'topic-deleted': return `${op} 删除了话题${quoted}`;
    case 'topic-changed': return `${op} 修改了话题${quoted}`;
    case 'dismissed': return '该群已解散';
    case 'created': return `${op} 创建了本群`;
    case 'other': return e.text !== undefined ? `群通知：${e.text}` : '群资料有变动';
  }
}

// The words of the exported transcripts, in English and Simplified Chinese. English is the source; the Chinese
// dictionary must have every entry (`satisfies`), so a new label cannot be forgotten in one language.

export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];

const en = {
  htmlLang: 'en',
  transcript: 'Chat transcript',
  exportedAt: (when: string) => `Exported ${when} by TIM Group Backup from the local archive.`,
  timeZone: (zone: string) => `Times are shown in the ${zone} time zone.`,
  groups: 'Groups',
  group: 'Group',
  messages: 'Messages',
  seqs: 'Message numbers (Seq)',
  dates: 'Dates',
  coverage: 'Coverage',
  pages: 'Pages',
  pagesEnd: 'Pages (end of page)',
  page: 'Page',
  allGroups: 'All groups',
  pageIndex: 'Page index',
  previous: 'Previous page',
  next: 'Next page',
  noMessages: 'No messages in this export.',
  messageCount: (n: string) => `${n} messages`,
  // coverage
  coverageIntro: 'Tencent numbers the messages of a group 1, 2, 3… (the message number, "Seq"). What the archive holds, number by number:',
  newestKnown: 'Newest message number at Tencent',
  totalMessages: 'Messages archived',
  archived: 'with their content',
  recalled: 'recalled by the sender',
  placeholders: 'deleted at Tencent, no content',
  absent: 'Numbers Tencent skipped (no message was stored under them)',
  failed: 'Could not be fetched (the next backup retries them)',
  expired: 'Expired at Tencent before the first backup',
  notYetFetched: 'Not fetched yet',
  completeness: {
    complete: 'Complete: every message of this group is archived.',
    completeSince: (date: string) => `Everything Tencent still has is archived. History before ${date} had already expired at Tencent before the first backup and cannot be recovered.`,
    allExpired: 'Nothing is left at Tencent: this group\'s history had expired before the first backup.',
    incomplete: (n: string) => `Incomplete: ${n} messages are not archived yet. Back up again to fetch them before Tencent deletes them.`,
    incompleteFailed: (n: string, failed: string) => `Incomplete: ${n} messages are not archived; fetching ${failed} of them failed. Back up again to retry them.`,
    unknownNewest: 'Not known yet: no backup has looked at this group. Back it up first.',
    filtered: 'Filtered export: only the messages that match the filter are included. This is not the full history.',
  } satisfies CompletenessWords,
  // filters
  filterGroups: 'Groups',
  filterSenders: 'Senders',
  filterSince: 'From',
  filterUntil: 'Before',
  filterKinds: 'Kinds',
  exportedOfArchived: (exported: string, archived: string) => `${exported} of ${archived} archived messages are in this export.`,
  // messages
  system: 'System message',
  unknownSender: 'sender not recorded',
  recalledKept: 'Recalled by the sender — the backup kept the original below',
  recalledLost: 'Recalled by the sender — the content was not archived before the recall',
  deletedKept: 'Deleted at Tencent — the backup kept the original below',
  deletedLost: 'Deleted or not stored at Tencent — no content',
  damaged: 'Damaged in the archive — this message no longer matches the checksum saved with it, so its content is not shown. The next backup replaces it while Tencent still keeps it.',
  face: 'Sticker',
  image: 'Image',
  file: 'File',
  voice: 'Voice message',
  video: 'Video',
  location: 'Location',
  custom: 'Custom message',
  relay: 'Forwarded chat',
  relayStoredAside: 'The forwarded messages are stored at Tencent and were not part of this message; summary:',
  notice: 'Group update',
  tip: tipEn as (e: TipEvent, f: TipFormat) => string,
  rawData: 'Data as Tencent sent it',
  seconds: (n: string) => `${n}s`,
  unknown: (type: string) => `Message element of type ${type}`,
  description: 'Description',
  ext: 'Extension',
  data: 'Data',
  sound: 'Sound',
  online: 'Online copy at Tencent (may have expired)',
  localCopy: 'Local copy',
  original: 'Original',
  /** Why a media file is not in the archive, for each state but stored. */
  mediaMissing: {
    pending: 'Not downloaded yet: the next backup fetches it, if Tencent still has it',
    failed: 'Could not be downloaded; the next backup tries again',
    expired: 'Expired at Tencent before it could be saved',
    'too-large': 'Larger than the size limit for media, so it was not downloaded',
    skipped: 'Not downloaded: left out by the media setting',
    'no-url': 'Sent from an old app version that gave no download link',
  } as Record<Exclude<MediaState, 'stored'>, string>,
  mediaNotExported: 'Saved in the archive, not included in this export',
  cannotPlay: 'This format cannot be played here; save it to play it with another program',
  map: 'Map',
  thumbnail: 'Thumbnail',
  kinds: {
    text: 'text',
    image: 'image',
    file: 'file',
    voice: 'voice',
    video: 'video',
    location: 'location',
    face: 'sticker',
    custom: 'custom',
    relay: 'forwarded',
    other: 'other',
    system: 'system',
    recalled: 'recalled',
    deleted: 'deleted',
    damaged: 'damaged',
  } as Record<string, string>,
};

export type Dictionary = typeof en;

const zhCN = {
  htmlLang: 'zh-CN',
  transcript: '聊天记录',
  exportedAt: (when: string) => `由 TIM 群聊备份于 ${when} 从本地归档导出。`,
  timeZone: (zone: string) => `时间按 ${zone} 时区显示。`,
  groups: '群组',
  group: '群组',
  messages: '消息',
  seqs: '消息序号（Seq）',
  dates: '日期',
  coverage: '归档情况',
  pages: '分页',
  pagesEnd: '分页（页尾）',
  page: '页',
  allGroups: '全部群组',
  pageIndex: '分页目录',
  previous: '上一页',
  next: '下一页',
  noMessages: '本次导出没有消息。',
  messageCount: (n: string) => `${n} 条消息`,
  coverageIntro: '腾讯为群里的消息依次编号 1、2、3……（消息序号，即 Seq）。以下是归档按序号统计的情况：',
  newestKnown: '腾讯上的最新消息序号',
  totalMessages: '已归档消息',
  archived: '有内容',
  recalled: '被发送者撤回',
  placeholders: '已在腾讯删除，没有内容',
  absent: '腾讯跳过的序号（其下从未存储消息）',
  failed: '拉取失败（下次备份会重试）',
  expired: '首次备份前已在腾讯过期',
  notYetFetched: '尚未拉取',
  completeness: {
    complete: '完整：本群的全部消息都已归档。',
    completeSince: (date: string) => `腾讯现存的消息已全部归档。${date}之前的历史在首次备份前已在腾讯过期，无法找回。`,
    allExpired: '腾讯上已没有可备份的消息：本群的历史在首次备份前已全部过期。',
    incomplete: (n: string) => `不完整：还有 ${n} 条消息没有归档。请再次备份，赶在腾讯删除之前拉取。`,
    incompleteFailed: (n: string, failed: string) => `不完整：还有 ${n} 条消息没有归档，其中 ${failed} 条拉取失败。请再次备份以重试。`,
    unknownNewest: '暂不确定：还没有备份查看过本群。请先备份。',
    filtered: '筛选导出：只包含符合筛选条件的消息，并非完整历史。',
  },
  filterGroups: '群组',
  filterSenders: '发送者',
  filterSince: '起始',
  filterUntil: '截止（不含）',
  filterKinds: '类型',
  exportedOfArchived: (exported: string, archived: string) => `已归档的 ${archived} 条消息中，本次导出 ${exported} 条。`,
  system: '系统消息',
  unknownSender: '发送者未记录',
  recalledKept: '发送者已撤回——备份保留了下方原文',
  recalledLost: '发送者已撤回——撤回前未能归档内容',
  deletedKept: '已在腾讯删除——备份保留了下方原文',
  deletedLost: '已在腾讯删除或未存储——无内容',
  damaged: '归档中已损坏——这条消息与保存时的校验值不符，因此不显示其内容。下次备份时，只要腾讯仍保留这条消息，就会用它替换。',
  face: '表情',
  image: '图片',
  file: '文件',
  voice: '语音',
  video: '视频',
  location: '位置',
  custom: '自定义消息',
  relay: '合并转发的聊天记录',
  relayStoredAside: '被转发的消息存放在腾讯，不在本条消息中；摘要：',
  notice: '群动态',
  tip: tipZh,
  rawData: '腾讯返回的原始数据',
  seconds: (n: string) => `${n}秒`,
  unknown: (type: string) => `类型为 ${type} 的消息元素`,
  description: '描述',
  ext: '扩展',
  data: '数据',
  sound: '提示音',
  online: '腾讯上的在线文件（可能已过期）',
  localCopy: '本地副本',
  original: '原图',
  mediaMissing: {
    pending: '尚未下载：若腾讯仍保留该文件，下次备份时会下载',
    failed: '下载失败，下次备份时会重试',
    expired: '保存前已在腾讯过期',
    'too-large': '超过媒体文件大小上限，未下载',
    skipped: '未下载：按媒体设置跳过',
    'no-url': '由旧版客户端发送，没有下载链接',
  },
  mediaNotExported: '已保存在归档中，未包含在此导出中',
  cannotPlay: '此格式无法在这里播放，请保存后用其他程序打开',
  map: '地图',
  thumbnail: '缩略图',
  kinds: {
    text: '文本',
    image: '图片',
    file: '文件',
    voice: '语音',
    video: '视频',
    location: '位置',
    face: '表情',
    custom: '自定义',
    relay: '合并转发',
    other: '其他',
    system: '系统',
    recalled: '已撤回',
    deleted: '已删除',
    damaged: '已损坏',
  },
} satisfies Dictionary;

const DICTIONARIES: Readonly<Record<Lang, Dictionary>> = { en, 'zh-CN': zhCN };

export function dictionary(lang: Lang): Dictionary {
  return DICTIONARIES[lang];
}

/** A --lang value as typed ("zh", "zh_CN", "EN-us"…), or undefined when it is neither Chinese nor English. */
export function parseLang(value: string): Lang | undefined {
  const v = value.trim().toLowerCase().replace('_', '-');
  if (v === 'zh' || v.startsWith('zh-')) return 'zh-CN';
  if (v === 'en' || v.startsWith('en-')) return 'en';
  return undefined;
}

/** Chinese when the system locale is Chinese (LANG / LC_ALL as Node's ICU reads them), else English. */
export function systemLang(): Lang {
  return parseLang(Intl.DateTimeFormat().resolvedOptions().locale) ?? 'en';
}
