// Messages built to break a careless exporter: markup and script in every field a transcript shows (text, sender,
// name card, nick, group name, file name, custom Data/Desc/Ext, relay titles and abstracts, location, unknown
// elements, group notices), URLs that must not become links, broken Unicode, and a 100 kB message.

import type { Archive } from '../../app/archive';
import type { GroupMsg, MsgElem } from '../../app/im/wire';
import { SDKAPPID, textMessage } from './fixtures';

export const HOSTILE_STRINGS = [
  '<script>alert(1)</script>',
  '<script src="https://evil.invalid/x.js"></script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '<a href="javascript:alert(1)">click</a>',
  'javascript:alert(1)',
  'see javascript:alert(document.domain) and https://ok.example/a?b=1&c=<2>',
  '</style><style>body{display:none}</style>',
  '</title><script>alert(1)</script>',
  '</p></div></main><script>alert(1)</script>',
  '<!-- unclosed comment',
  ']]><![CDATA[ x',
  '<iframe src="https://evil.invalid/"></iframe>',
  '<link rel=stylesheet href=https://evil.invalid/x.css>',
  '<meta http-equiv="refresh" content="0;url=https://evil.invalid/">',
  '<base href="https://evil.invalid/">',
  '<form action="https://evil.invalid/"><button>x</button></form>',
  '<img src="https://evil.invalid/pixel.gif">',
  '<style>@import url(https://evil.invalid/x.css)</style>',
  '<svg><script>alert(1)</script></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '&lt;already escaped&gt; &amp; &#60;script&#62;',
  '{{constructor.constructor("alert(1)")()}}',
  '${alert(1)} `backtick`',
  'broken \ud800 surrogate \udfff and half an emoji \ud83d',
  '\u202Eevil.exe\u202C and \u202Bمرحبا',
  'zero\u200Bwidth\u200C\u200D\u2060\uFEFF characters',
  'nul\u0000 bell\u0007 escape\u001b[31m red',
  'line\r\nbreaks\rand\ttabs\n\nafter a blank line',
  '\u2028line separator\u2029paragraph separator',
  'https://example.com/path?x="onmouseover=alert(1)',
  'https://example.com/(wiki)_link). end.',
  '大家你好啊 <b>不是粗体</b> ＜script＞',
];

/** About 100 kB of UTF-8, markup included. */
export const LONG_TEXT = `${'大家好，<script>alert(1)</script> 今天的会议改到下午三点。\n'.repeat(1700)}end`;

export const HOSTILE_GROUP = '@TGS#hostile<script>';
export const HOSTILE_SENDER = '<img src=x onerror=alert(1)>';

/** Text messages: Seq → the exact text stored (each starts with a unique marker, so none contains another). */
export function hostileTexts(): Map<number, string> {
  const texts = new Map<number, string>();
  [...HOSTILE_STRINGS, LONG_TEXT].forEach((s, i) => texts.set(i + 1, `⟦${i + 1}⟧ ${s}`));
  return texts;
}

const pick = (i: number) => HOSTILE_STRINGS[i % HOSTILE_STRINGS.length]!;

function otherElements(): MsgElem[][] {
  return [
    [{ MsgType: 'TIMFileElem', MsgContent: { Url: 'javascript:alert(1)', UUID: '<u>', FileSize: 1234, FileName: pick(2), Download_Flag: 2 } }],
    [{ MsgType: 'TIMImageElem', MsgContent: { UUID: pick(0), ImageFormat: 255, ImageInfoArray: [{ Type: 1, Size: 10, Width: 1, Height: 1, URL: 'javascript:alert(1)' }] } }],
    [{ MsgType: 'TIMCustomElem', MsgContent: { Data: pick(7), Desc: pick(3), Ext: pick(8), Sound: pick(17) } }],
    [{ MsgType: 'TIMCustomElem', MsgContent: { Data: '\b\u0001\u0010<script>', Desc: '', Ext: '' } }],
    [{ MsgType: 'TIMLocationElem', MsgContent: { Desc: pick(9), Latitude: 31.2304, Longitude: 121.4737 } }],
    [{ MsgType: 'TIMFaceElem', MsgContent: { Index: 1, Data: pick(1) } }],
    [
      {
        MsgType: 'TIMRelayElem',
        MsgContent: { Title: pick(10), MsgNum: 2, CompatibleText: '', AbstractList: [pick(11), pick(12)], JsonMsgKey: pick(13) },
      },
    ],
    [
      {
        MsgType: 'TIMRelayElem',
        MsgContent: {
          Title: pick(14),
          MsgNum: 1,
          CompatibleText: '',
          AbstractList: [],
          MsgList: [{ From_Account: HOSTILE_SENDER, MsgTimeStamp: 1_700_000_000, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: pick(15) } }] }],
        },
      },
    ],
    [{ MsgType: 'TIMFutureElem<script>', MsgContent: { Html: pick(16), Nested: { deeper: [pick(18)] } } }],
    [{ MsgType: 'TIMGroupTipElem', MsgContent: { OpType: 1, Operator_Account: HOSTILE_SENDER, MemberList_Account: [pick(19)], GroupInfo: { Name: pick(20) } } }],
  ];
}

/** Stores the hostile group: the text messages first (Seqs 1…), then every other element kind carrying hostile values. */
export function fillHostile(archive: Archive): { gid: number; texts: Map<number, string>; lastSeq: number } {
  const texts = hostileTexts();
  const others = otherElements();
  const lastSeq = texts.size + others.length;
  const gid = archive.upsertGroup({
    sdkAppId: SDKAPPID,
    groupId: HOSTILE_GROUP,
    info: { GroupId: HOSTILE_GROUP, ErrorCode: 0, ErrorInfo: '', Name: `</title><script>alert("group")</script>`, NextMsgSeq: lastSeq + 1 },
    newestSeq: lastSeq,
  });
  archive.upsertMembers(gid, [{ Member_Account: HOSTILE_SENDER, NameCard: '"><script>alert("card")</script>' }]);
  archive.upsertProfiles(SDKAPPID, [{ account: 'nick<b>', nick: '<svg onload=alert("nick")>' }]);
  const runId = archive.beginRun();
  const base = 1_714_500_000;
  const msgs: GroupMsg[] = [...texts].map(([seq, text]) => textMessage(seq, base + seq * 60, seq % 2 ? HOSTILE_SENDER : 'nick<b>', text));
  others.forEach((body, i) => {
    const seq = texts.size + i + 1;
    msgs.push({ ...textMessage(seq, base + seq * 60, 'nick<b>', ''), MsgBody: body, ...(body[0]!.MsgType === 'TIMGroupTipElem' ? { IsSystemMsg: 1 } : {}) });
  });
  for (let lo = 1; lo <= lastSeq; lo += 20) {
    const hi = Math.min(lastSeq, lo + 19);
    archive.storeWindow(gid, lo, hi, msgs.filter((m) => m.MsgSeq >= lo && m.MsgSeq <= hi), runId);
  }
  archive.finishRun(runId, 'ok', {});
  return { gid, texts, lastSeq };
}
