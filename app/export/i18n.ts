// The words of the exported transcripts, in English and Simplified Chinese. English is the source; the Chinese
// dictionary must have every entry (`satisfies`), so a new label cannot be forgotten in one language.

export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];

const en = {
  htmlLang: 'en',
  transcript: 'Chat transcript',
  exportedAt: (when: string) => `Exported ${when} by TIM Group Backup from the local archive.`,
  timeZone: (zone: string) => `Times are local times in ${zone}.`,
  groups: 'Groups',
  group: 'Group',
  messages: 'Messages',
  seqs: 'Seqs',
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
  coverageIntro: 'What the archive holds for this group, Seq by Seq (Tencent numbers every message of a group 1, 2, 3…).',
  newestKnown: 'Newest Seq known',
  archived: 'Archived messages',
  recalled: 'Recalled',
  placeholders: 'Deleted or never stored (placeholders)',
  absent: 'Absent (no message under this Seq)',
  failed: 'Could not be fetched (failed)',
  expired: 'Expired at Tencent before the backup',
  notYetFetched: 'Not yet fetched',
  complete: 'Complete: every Seq up to the newest known one is accounted for.',
  incomplete: (n: string) => `Incomplete: ${n} Seqs are missing from this archive (see the numbers below). This transcript does not show them.`,
  unknownNewest: 'The newest Seq of this group is not known yet, so completeness cannot be judged. Run a backup first.',
  // filters
  filtered: 'Filtered export: only some messages are included. This is not the complete history.',
  filterGroups: 'Groups',
  filterSenders: 'Senders',
  filterSince: 'From',
  filterUntil: 'Before',
  filterKinds: 'Kinds',
  exportedOfArchived: (exported: string, archived: string) => `${exported} of ${archived} archived messages are in this export.`,
  // messages
  system: 'System message',
  recalledKept: 'Recalled by the sender — the backup kept the original below',
  recalledLost: 'Recalled by the sender — the content was not archived before the recall',
  deletedKept: 'Deleted at Tencent — the backup kept the original below',
  deletedLost: 'Deleted or not stored at Tencent — no content',
  face: 'Sticker',
  image: 'Image',
  file: 'File',
  voice: 'Voice message',
  video: 'Video',
  location: 'Location',
  custom: 'Custom message',
  relay: 'Forwarded chat',
  relayStoredAside: 'The forwarded messages are stored at Tencent and were not part of this message; summary:',
  notice: 'Group notice',
  unknown: (type: string) => `Message element of type ${type}`,
  description: 'Description',
  ext: 'Extension',
  data: 'Data',
  sound: 'Sound',
  online: 'Online copy at Tencent (may have expired)',
  localCopy: 'Local copy',
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
  } as Record<string, string>,
};

export type Dictionary = typeof en;

const zhCN = {
  htmlLang: 'zh-CN',
  transcript: '聊天记录',
  exportedAt: (when: string) => `由 TIM Group Backup 于 ${when} 从本地归档导出。`,
  timeZone: (zone: string) => `时间为 ${zone} 当地时间。`,
  groups: '群组',
  group: '群组',
  messages: '消息',
  seqs: 'Seq 范围',
  dates: '日期',
  coverage: '覆盖情况',
  pages: '分页',
  pagesEnd: '分页（页尾）',
  page: '页',
  allGroups: '全部群组',
  pageIndex: '分页目录',
  previous: '上一页',
  next: '下一页',
  noMessages: '本次导出没有消息。',
  messageCount: (n: string) => `${n} 条消息`,
  coverageIntro: '本群在归档中的情况，按 Seq 统计（腾讯为群内每条消息依次编号 1、2、3……）。',
  newestKnown: '已知最新 Seq',
  archived: '已归档消息',
  recalled: '已撤回',
  placeholders: '已删除或未存储（占位）',
  absent: '缺号（该 Seq 下没有消息）',
  failed: '拉取失败',
  expired: '备份前已在腾讯过期',
  notYetFetched: '尚未拉取',
  complete: '完整：直到已知最新 Seq 的每个 Seq 都有着落。',
  incomplete: (n: string) => `不完整：本归档缺少 ${n} 个 Seq（见下方数字），本记录不包含这些消息。`,
  unknownNewest: '尚不知道本群的最新 Seq，无法判断是否完整。请先运行一次备份。',
  filtered: '筛选导出：只包含部分消息，并非完整历史。',
  filterGroups: '群组',
  filterSenders: '发送者',
  filterSince: '起始',
  filterUntil: '截止（不含）',
  filterKinds: '类型',
  exportedOfArchived: (exported: string, archived: string) => `已归档的 ${archived} 条消息中，本次导出 ${exported} 条。`,
  system: '系统消息',
  recalledKept: '发送者已撤回——备份保留了下方原文',
  recalledLost: '发送者已撤回——撤回前未能归档内容',
  deletedKept: '已在腾讯删除——备份保留了下方原文',
  deletedLost: '已在腾讯删除或未存储——无内容',
  face: '表情',
  image: '图片',
  file: '文件',
  voice: '语音',
  video: '视频',
  location: '位置',
  custom: '自定义消息',
  relay: '合并转发的聊天记录',
  relayStoredAside: '被转发的消息存放在腾讯，不在本条消息中；摘要：',
  notice: '群通知',
  unknown: (type: string) => `类型为 ${type} 的消息元素`,
  description: '描述',
  ext: '扩展',
  data: '数据',
  sound: '提示音',
  online: '腾讯上的在线文件（可能已过期）',
  localCopy: '本地副本',
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
