// Text the generator draws from: what real group chats contain, plus what breaks careless software
// (markup, script URLs, bidi overrides, zero-width characters, lone surrogates, control characters).

export const CHINESE = [
  '大家好，今天的会议改到下午三点。',
  '大家你好啊',
  '收到👌',
  '这个方案我觉得可以，但是预算需要再确认一下。',
  '周末一起去爬山吗？',
  '请把文件发到群里，谢谢！',
  '哈哈哈哈哈哈',
  '明天见！',
  '谢谢老师的分享🙏',
  '[图片]',
  '新版本已经发布了，请大家更新到 2.3.1。',
  '服务器好像挂了，有人在看吗？',
  '我在地铁上，晚点回复。',
  '恭喜发财，红包拿来🧧',
  '这个问题我们上周讨论过，记录在群公告里。',
  '「引号」与『书名号』、全角标点！？',
  '繁體中文也要能正常顯示。',
  '日本語のテキストも混ざる：こんにちは',
  '한국어 메시지도 있어요',
] as const;

export const ENGLISH = [
  'Hi all, the build is green again.',
  'Can someone review PR #4821?',
  'lol',
  'See you tomorrow!',
  'Meeting moved to 3pm, same room.',
  "It's 100% done — finally.",
  'Tabs\tand\nnewlines\r\nand a trailing space ',
  'Price: $5 & <b>not bold</b> & &amp; entities',
  'Café, naïve, résumé, Ångström',
  'Does anyone have the slides from Friday?',
  'Reminder: timesheets are due today.',
  'https://example.com/path?query=1&other=2#frag',
  'C:\\Users\\admin\\Desktop\\notes.txt',
  'SELECT * FROM messages WHERE 1=1;',
] as const;

export const EMOJI = ['😀', '👍🏽', '👨‍👩‍👧‍👦', '🇨🇳', '❤️', '🎉🎉🎉', '🧧', '🙈🙉🙊', '🏳️‍🌈', '1️⃣'] as const;

export const RTL = ['مرحبا بالجميع', 'שלום לכולם', 'mixed עברית and English', '\u202Eevil.exe\u202C', 'abc\u202Bمرحبا\u202Cdef'] as const;

export const ZERO_WIDTH = ['zero\u200Bwidth', '你\u200D好', '\uFEFFBOM at the start', 'a\u200Cb\u2060c', 'soft\u00ADhyphen'] as const;

export const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '</style><style>body{display:none}</style>',
  '</script><script>alert(2)</script>',
  "'; DROP TABLE messages; --",
  '{{constructor.constructor("alert(1)")()}}',
  '${alert(1)}',
  '%s%n%x',
  '../../../etc/passwd',
  'nul\u0000byte and bell\u0007',
  '<!--',
  ']]>',
  '\u2028line separator\u2029paragraph separator',
] as const;

/** Lone surrogates: valid in a JSON string (as \ud800 escapes), invalid as Unicode. */
export const BROKEN = ['\ud800', 'broken \udc00 tail', 'half an emoji \ud83d', '\udfff\ud800'] as const;

export const CHINESE_NAMES = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏', '黄晓明', '周杰', '吴秀英', '小龙女', '阿强'] as const;
export const ENGLISH_NAMES = ['Alice', 'Bob Chen', 'Carol', 'Dave W.', 'Eve', 'Frank', 'Grace Li', 'Heidi', 'Ivan', 'Judy'] as const;
export const ODD_NAMES = ['🐼 Panda', '<b>Boss</b>', '"><img src=x onerror=alert(1)>', '\u202Egnp.exe', 'name\u200Bwith\u200Bzw', ' '] as const;

/** Names a person can choose that a transcript must show as data: overrides, invisible, huge, markup, empty. */
export const HOSTILE_NAMES = [
  '\u202Egnp.exe\u202C',
  'abc\u202Bمرحبا\u202Cdef',
  '\u200B\u200C\u200D\u2060',
  '名'.repeat(100) + 'N'.repeat(100),
  '<script>alert(1)</script>',
  '</title><img src=x onerror=alert(1)>',
  '" onmouseover="alert(1)',
  '=HYPERLINK("http://x.invalid")',
  '',
] as const;

export const GROUP_NAMES = ['产品讨论群', '技术交流', 'Weekend Hiking', '家长群（三年级二班）', 'Release Train', '<i>hostile</i> group'] as const;

export const FILE_NAMES = ['季度报告.pdf', 'design v2 (final) FINAL.sketch', 'photo.JPG', 'notes.txt', '<script>.html', 'archive.tar.gz', '会议纪要_2024-05-01.docx'] as const;

export const PLACES = ['腾讯滨海大厦', 'Shanghai Tower, Pudong', '北京市海淀区中关村', 'Café "Le Petit" & Bar', ''] as const;
