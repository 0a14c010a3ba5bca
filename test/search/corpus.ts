// Generated chat for the search tests and the search benchmark. Deterministic in (seed, seq).
//
// Realistic frequencies matter for a search benchmark: words are drawn from Zipf distributions, so some terms
// are in half the messages and others in a handful, as in real chat. Chinese text is drawn character by
// character from ~500 common characters (Zipf), with common words mixed in; English from ~150 common words plus
// a long tail of made-up words. The `mixed` style (for exactness tests) adds what makes search hard: CJK next to
// Latin without spaces, punctuation and emoji between CJK characters, full-width letters, accents, Kana and
// Hangul, zero-width characters, hostile strings, and every element kind that carries searchable text.

import type { GroupMsg, MsgElem } from '../../app/im/wire';
import { BROKEN, EMOJI, FILE_NAMES, HOSTILE, PLACES, RTL, ZERO_WIDTH } from '../emulator/corpus';
import { mix, Rng } from '../emulator/prng';

const HAN =
  '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坐集编宝谈府拉黑且随格尽讲布杀微怕母调局根曾准团段终乐切级克精哪官示冷域';
const ZH_WORDS = ['大家好', '你好', '今天', '明天开会', '收到', '好的', '谢谢', '没问题', '这个方案', '我觉得', '可以试试', '下午三点', '项目进度', '已经上线了', '辛苦了', '有人在吗', '稍等一下', '文件发群里了', '测试环境', '服务器', '客户反馈', '哈哈哈', '确认一下', '西瓜', '红包'];
const EN_WORDS = (
  'the to and a of is in it you that for on this i be we have are with was at not but so can if just will my do me about ' +
  'what all your they from up out there one our get like when time now as know think today good people going new ' +
  'meeting please check release notes thanks update deploy server looks review later build failed again fixed ' +
  'customer asked pricing lunch anyone ok sure great done tomorrow team project issue report data test plan week ' +
  'call send file link version bug fix work next back still need make see right here yes no help idea problem ' +
  'morning night free busy happy birthday welcome hello everyone sorry late soon group chat photo video price order ' +
  'watermelon summer holiday office design slides budget client contract invoice schedule deadline'
).split(' ');
const SYLLABLES = ['ka', 'lo', 'mi', 'zu', 're', 'tan', 'vor', 'qui', 'del', 'nox', 'bri', 'sel', 'ump', 'gra', 'fen', 'hyl'];
/** Words beyond the common list: the long tail, rank 1 rarer than rank 0 and so on. */
const TAIL = 20_000;

/** Zipf-distributed index in [0, n) by inverse transform on a continuous approximation. */
function zipf(rng: Rng, n: number, s = 1.05): number {
  const u = rng.next();
  const hmax = (Math.pow(n + 1, 1 - s) - 1) / (1 - s);
  const x = Math.pow(u * hmax * (1 - s) + 1, 1 / (1 - s)) - 1;
  return Math.min(n - 1, Math.floor(x));
}

/** The made-up English word of tail rank r (deterministic, pronounceable, 4–9 letters). */
export function tailWord(r: number): string {
  let out = '';
  let x = r + 7;
  do {
    out += SYLLABLES[x % SYLLABLES.length];
    x = Math.floor(x / SYLLABLES.length);
  } while (x > 0);
  return out;
}

/** A length drawn from a log-normal distribution: most chat lines are short, a few are long. */
function chatLength(rng: Rng, median: number, max: number): number {
  const g = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  return Math.max(1, Math.min(max, Math.round(median * Math.exp(0.7 * g))));
}

export function chineseLine(rng: Rng): string {
  const chars = chatLength(rng, 16, 400);
  let out = '';
  while ([...out].length < chars) {
    const x = rng.next();
    if (x < 0.25) out += ZH_WORDS[zipf(rng, ZH_WORDS.length)];
    else if (x < 0.3) out += rng.pick(['，', '。', '！', '？', '、']);
    else out += HAN[zipf(rng, HAN.length, 0.9)];
  }
  return out;
}

export function englishLine(rng: Rng): string {
  const words = chatLength(rng, 9, 200);
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    const r = zipf(rng, EN_WORDS.length + TAIL);
    const w = r < EN_WORDS.length ? EN_WORDS[r]! : tailWord(r - EN_WORDS.length);
    out.push(i === 0 || rng.next() < 0.05 ? w[0]!.toUpperCase() + w.slice(1) : w);
  }
  return `${out.join(' ')}${rng.pick(['.', '!', '?', '', ''])}`;
}

/** Text that is hard for search: scripts without spaces between them, separators between CJK, folded forms. */
function trickyLine(rng: Rng): string {
  const parts: string[] = [];
  const n = rng.int(1, 5);
  for (let i = 0; i < n; i++) {
    const x = rng.next();
    if (x < 0.3) parts.push(ZH_WORDS[rng.int(0, ZH_WORDS.length - 1)]!);
    else if (x < 0.5) parts.push(EN_WORDS[rng.int(60, EN_WORDS.length - 1)]!);
    else if (x < 0.55) parts.push(rng.pick(['Café', 'naïve', 'RÉSUMÉ', 'Ångström', 'ΟΔΟΣ', 'İstanbul', 'straße']));
    else if (x < 0.6) parts.push(rng.pick(['ｗａｔｅｒｍｅｌｏｎ', 'ＡＢＣ１２３', '西瓜ｐｉｅ', 'ｶﾞｷﾞ', '㊙️']));
    else if (x < 0.65) parts.push(rng.pick(['こんにちは', 'ガラス', 'かがみ', '한국어', '메시지', '東京タワー']));
    else if (x < 0.7) parts.push(rng.pick(EMOJI));
    else if (x < 0.75) parts.push(rng.pick(ZERO_WIDTH));
    else if (x < 0.78) parts.push(rng.pick(HOSTILE));
    else if (x < 0.8) parts.push(rng.pick(RTL));
    else if (x < 0.82) parts.push(rng.pick(BROKEN));
    else parts.push(HAN[rng.int(0, 40)]!);
  }
  // No separator, a space, CJK punctuation or an emoji between parts: 你好abc, 你。好, 西瓜 🍉 watermelon.
  return parts.reduce((acc, p) => acc + rng.pick(['', '', ' ', '，', '🍉', '-']) + p);
}

export type CorpusStyle = 'bench' | 'mixed';

function body(rng: Rng, seq: number, style: CorpusStyle): MsgElem[] {
  const text = (): string => (style === 'mixed' && rng.next() < 0.5 ? trickyLine(rng) : rng.next() < 0.5 ? chineseLine(rng) : englishLine(rng));
  const x = rng.next();
  if (x < 0.86) return [{ MsgType: 'TIMTextElem', MsgContent: { Text: text() } }];
  if (x < 0.89) return [{ MsgType: 'TIMImageElem', MsgContent: { UUID: `img-${seq}`, ImageFormat: 1, ImageInfoArray: [{ Type: 1, Size: 9000, Width: 198, Height: 120, URL: `https://example.invalid/i/${seq}` }] } }];
  if (x < 0.91) return [{ MsgType: 'TIMFileElem', MsgContent: { Url: `https://example.invalid/f/${seq}`, UUID: `f-${seq}`, FileSize: 20480, FileName: rng.pick(FILE_NAMES), Download_Flag: 2 } }];
  if (x < 0.92) return [{ MsgType: 'TIMSoundElem', MsgContent: { Url: `https://example.invalid/s/${seq}`, UUID: `s-${seq}`, Size: 3000, Second: 4, Download_Flag: 2 } }];
  if (x < 0.93) return [{ MsgType: 'TIMLocationElem', MsgContent: { Desc: rng.pick(PLACES), Latitude: 22.5, Longitude: 113.9 } }];
  if (x < 0.95) return [{ MsgType: 'TIMTextElem', MsgContent: { Text: text() } }, { MsgType: 'TIMFaceElem', MsgContent: { Index: 3, Data: '[smile]' } }];
  if (x < 0.97) return [{ MsgType: 'TIMCustomElem', MsgContent: { Data: '{"k":1}', Desc: text(), Ext: rng.next() < 0.5 ? text() : '' } }];
  if (x < 0.98) {
    return [
      {
        MsgType: 'TIMRelayElem',
        MsgContent: {
          Title: text(),
          MsgNum: 2,
          CompatibleText: '[chat history]',
          AbstractList: [text(), text()],
          MsgList: [{ From_Account: 'someone', MsgTimeStamp: 1_700_000_000, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text() } }] }],
        },
      } as MsgElem,
    ];
  }
  return [{ MsgType: 'TIMGroupTipElem', MsgContent: { OpType: 1, Members: [`user${seq % 50}`] } } as unknown as MsgElem];
}

export interface CorpusOptions {
  seed: number;
  style: CorpusStyle;
  /** Senders are user0..user{senders-1}. */
  senders: number;
  /** Seconds between Seqs on average (several messages may share a second). */
  secondsPerMessage: number;
  startTime: number;
}

export const BENCH_CORPUS: CorpusOptions = { seed: 1, style: 'bench', senders: 200, secondsPerMessage: 3, startTime: 1_650_000_000 };

/** The message a generated group holds at `seq`. */
export function corpusMessage(o: CorpusOptions, seq: number): GroupMsg {
  const rng = new Rng(mix(o.seed, seq, 77));
  const elems = body(rng, seq, o.style);
  const system = elems[0]!.MsgType === 'TIMGroupTipElem';
  return {
    From_Account: system ? '@TIM#SYSTEM' : `user${zipf(rng, o.senders, 0.8)}`,
    IsPlaceMsg: 0,
    ...(system ? { IsSystemMsg: 1 } : {}),
    MsgBody: elems,
    MsgPriority: 1,
    MsgRandom: Math.floor(rng.next() * 4294967296),
    MsgSeq: seq,
    MsgTimeStamp: o.startTime + Math.floor((seq - 1 + rng.next() * 0.9) * o.secondsPerMessage),
  };
}

export function corpusWindow(o: CorpusOptions, lo: number, hi: number): GroupMsg[] {
  const out: GroupMsg[] = [];
  for (let seq = lo; seq <= hi; seq++) out.push(corpusMessage(o, seq));
  return out;
}
