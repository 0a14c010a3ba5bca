// A small, deterministic generator of realistic group chat for archive tests and the archive benchmark: half
// Chinese and half English text messages of 100–200 bytes, with the occasional image, file, face,
// custom element and system notice. (The emulator has its own richer generator; this one needs no server.)

import type { GroupMsg, MsgElem } from '../../app/im/wire';

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZH = [
  '大家好', '你好啊', '今天', '明天开会', '收到', '好的', '谢谢', '没问题', '这个方案', '我觉得', '可以试试', '下午三点',
  '项目进度', '已经上线了', '辛苦了', '周末愉快', '有人在吗', '稍等一下', '文件发群里了', '看一下', '需求', '测试环境',
  '服务器', '数据', '客户反馈', '晚上聚餐', '哈哈哈', '确认一下', '版本', '更新',
];
const EN = [
  'hello', 'everyone', 'the', 'meeting', 'is', 'moved', 'to', 'tomorrow', 'please', 'check', 'release', 'notes', 'thanks',
  'for', 'update', 'deploy', 'server', 'looks', 'good', 'me', 'will', 'review', 'later', 'today', 'build', 'failed',
  'again', 'fixed', 'it', 'customer', 'asked', 'about', 'pricing', 'lunch', 'anyone', 'ok', 'sure', 'great', 'done',
];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

/** A chat line of 100–200 bytes of UTF-8: Chinese or English, equally often. */
function sentence(r: () => number): string {
  const target = 100 + Math.floor(r() * 101);
  const chinese = r() < 0.5;
  let out = '';
  while (Buffer.byteLength(out) < target - 12) {
    out += chinese ? `${pick(r, ZH)}${r() < 0.2 ? '，' : ''}` : `${out ? ' ' : ''}${pick(r, EN)}`;
  }
  return `${out}${pick(r, chinese ? ['。', '！', '？', ''] : ['.', '!', '?', ''])}`;
}

function body(r: () => number, seq: number): MsgElem[] {
  const x = r();
  if (x < 0.85) return [{ MsgType: 'TIMTextElem', MsgContent: { Text: sentence(r) } }];
  if (x < 0.9) {
    return [{ MsgType: 'TIMImageElem', MsgContent: { UUID: `img-${seq}`, ImageFormat: 1, ImageInfoArray: [{ Type: 3, Size: 9000, Width: 198, Height: 120, URL: `https://example.invalid/i/${seq}` }] } }];
  }
  if (x < 0.93) {
    return [{ MsgType: 'TIMFileElem', MsgContent: { Url: `https://example.invalid/f/${seq}`, UUID: `f-${seq}`, FileSize: 20480, FileName: `report-${seq}.pdf`, Download_Flag: 2 } }];
  }
  if (x < 0.96) return [{ MsgType: 'TIMTextElem', MsgContent: { Text: sentence(r) } }, { MsgType: 'TIMFaceElem', MsgContent: { Index: 3, Data: '[smile]' } }];
  if (x < 0.98) return [{ MsgType: 'TIMCustomElem', MsgContent: { Data: '\b\u0001', Desc: sentence(r), Ext: '' } }];
  return [{ MsgType: 'TIMGroupTipElem', MsgContent: { OpType: 1, Members: [`user${seq % 50}`] } }];
}

/** The message a group would hold at `seq` (deterministic in seed and seq). */
export function chatMessage(seed: number, seq: number): GroupMsg {
  const r = prng(seed * 1_000_003 + seq);
  const elems = body(r, seq);
  return {
    From_Account: `user${Math.floor(r() * 50)}`,
    IsPlaceMsg: 0,
    ...(elems[0]!.MsgType === 'TIMGroupTipElem' ? { IsSystemMsg: 1 } : {}),
    MsgBody: elems,
    MsgPriority: 1,
    MsgRandom: Math.floor(r() * 4294967296),
    MsgSeq: seq,
    MsgTimeStamp: 1_700_000_000 + seq * 7,
  };
}

/** The messages of Seqs lo..hi. */
export function chatWindow(seed: number, lo: number, hi: number): GroupMsg[] {
  const out: GroupMsg[] = [];
  for (let seq = lo; seq <= hi; seq++) out.push(chatMessage(seed, seq));
  return out;
}
