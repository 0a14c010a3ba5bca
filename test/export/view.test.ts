// The pure parts the HTML, TXT and desktop renderers share: the html template, visible text and links, the
// message view model and cards, local times, and page planning.

import { describe, expect, it } from 'vitest';
import { cardOf, isCard } from '../../app/export/card';
import { Clock } from '../../app/export/clock';
import { Html, html, type Interpolation } from '../../app/export/html';
import { dictionary, parseLang } from '../../app/export/i18n';
import { planPages } from '../../app/export/plan';
import { type ElementView, kindNames, type StoredMessage, type ViewContext, viewMessage } from '../../app/export/view';
import { bytesOrText, textSegments, visibleText } from '../../app/export/visible';
import { KINDS } from '../../app/archive';
import type { MsgElem } from '../../app/im/wire';

const names: ViewContext = { name: (a) => ({ alice: '爱丽丝', bob: 'Bob' })[a] };

function row(body: MsgElem[], extra: Partial<StoredMessage> = {}, msgExtra: Record<string, unknown> = {}): StoredMessage {
  const raw = JSON.stringify({ From_Account: 'alice', IsPlaceMsg: 0, MsgBody: body, MsgRandom: 1, MsgSeq: 5, MsgTimeStamp: 1_714_500_000, ...msgExtra });
  return { seq: 5, state: 0, sender: 'alice', time: 1_714_500_000, isSystem: false, raw, ...extra };
}

function only(body: MsgElem[]): ElementView {
  const v = viewMessage(row(body), names);
  expect(v.elements).toHaveLength(1);
  return v.elements[0]!;
}

describe('html``', () => {
  it('escapes every interpolated string, and only those', () => {
    const name = `"><script>alert('x')</script>&`;
    expect(html`<p title="${name}">${name}</p>`.toString()).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</p>',
    );
  });

  it('keeps markup made by html`` and escapes lists item by item', () => {
    const items: Interpolation[] = ['<a>', html`<b>${'<b>'}</b>`, 3, false, null, undefined];
    expect(html`<i>${items}</i>`.toString()).toBe('<i>&lt;a&gt;<b>&lt;b&gt;</b>3</i>');
  });

  it('writes line breaks as references, so text keeps them and pages stay one message per line', () => {
    expect(html`<p>${'a\nb'}</p>`.toString()).toBe('<p>a&#10;b</p>');
  });

  it('refuses unquoted attribute values and any other way to make markup', () => {
    expect(() => html`<a href=${'x onclick=alert(1)'}>`).toThrow(/quote the attribute value/u);
    expect(() => new Html(Symbol('html'), '<script>')).toThrow(TypeError);
    const lookalike = { toString: () => '<script>' } as unknown as string;
    expect(html`${lookalike}`.toString()).toBe('');
  });
});

describe('visible text', () => {
  it('makes controls visible, replaces what cannot be encoded, and normalizes line ends', () => {
    expect(visibleText('a\u0000b\u0007c\u001bd\u007f')).toBe('a␀b␇c␛d␡');
    expect(visibleText('x\ud800y\udfffz\ud83d')).toBe('x\ufffdy\ufffdz\ufffd');
    expect(visibleText('\u0085\ufdd0\uffff\u{10ffff}')).toBe('\ufffd'.repeat(4));
    expect(visibleText('1\r\n2\r3\n4\t5')).toBe('1\n2\n3\n4\t5');
    const kept = '\u202Eevil\u202C zero\u200Bwidth 😀 大家好';
    expect(visibleText(kept)).toBe(kept);
  });

  it('shows bytes as JSON escapes and text as text', () => {
    expect(bytesOrText('\b\u0001\u0010ok')).toEqual({ text: '\\b\\u0001\\u0010ok', escaped: true });
    expect(bytesOrText('[微笑]')).toEqual({ text: '[微笑]', escaped: false });
  });

  it('links http(s) URLs only, without trailing punctuation, and the segments spell the text', () => {
    const text = 'see https://a.example/x?q=1&r=2. and (https://b.example/wiki_(x)) javascript:alert(1) ftp://c.example HTTPS://D.EXAMPLE/看 xhttps://no.example';
    const segs = textSegments(text);
    expect(segs.map((s) => s.text).join('')).toBe(text);
    expect(segs.filter((s) => s.href).map((s) => [s.text, s.href])).toEqual([
      ['https://a.example/x?q=1&r=2', 'https://a.example/x?q=1&r=2'],
      ['https://b.example/wiki_(x)', 'https://b.example/wiki_(x)'],
      ['HTTPS://D.EXAMPLE/', 'https://d.example/'],
    ]);
  });
});

describe('viewMessage', () => {
  it('names the sender from the archive, else by account', () => {
    expect(viewMessage(row([]), names).sender).toEqual({ account: 'alice', name: '爱丽丝' });
    expect(viewMessage(row([], { sender: 'carol' }), names).sender).toEqual({ account: 'carol' });
  });

  it('shows an image by its original variant, and only http(s) links', () => {
    const e = only([
      {
        MsgType: 'TIMImageElem',
        MsgContent: {
          UUID: 'u1',
          ImageFormat: 3,
          ImageInfoArray: [
            { Type: 3, Size: 10, Width: 19, Height: 10, URL: 'https://m.example/3' },
            { Type: 1, Size: 2_500_000, Width: 1920, Height: 1080, URL: 'https://m.example/1' },
          ],
        },
      },
    ]);
    expect(e).toEqual({ type: 'image', uuid: 'u1', format: 'PNG', width: 1920, height: 1080, size: 2_500_000, url: 'https://m.example/1' });
    expect(cardOf(e as Parameters<typeof cardOf>[0], dictionary('en'))).toMatchObject({ title: 'Image · PNG', facts: ['1920×1080', '2.4 MB'] });
    const bad = only([{ MsgType: 'TIMFileElem', MsgContent: { Url: 'javascript:alert(1)', UUID: 'f', FileSize: 2048, FileName: 'a.pdf', Download_Flag: 2 } }]);
    expect(bad).toEqual({ type: 'file', uuid: 'f', name: 'a.pdf', size: 2048 });
  });

  it('gives voice, video and location their facts', () => {
    const d = dictionary('en');
    const card = (body: MsgElem) => {
      const e = only([body]);
      if (!isCard(e)) throw new Error('not a card');
      return cardOf(e, d);
    };
    expect(card({ MsgType: 'TIMSoundElem', MsgContent: { Url: 'https://m/s', UUID: 's', Size: 1536, Second: 75, Download_Flag: 2 } })).toMatchObject({
      title: 'Voice message',
      facts: ['1:15', '1.5 KB'],
      links: [{ href: 'https://m/s', label: d.online }],
    });
    const video = card({
      MsgType: 'TIMVideoFileElem',
      MsgContent: { VideoUrl: 'https://m/v', VideoUUID: 'v', VideoSize: 3 * 1024 ** 3, VideoSecond: 3725, VideoFormat: 'mp4', VideoDownloadFlag: 2, ThumbUrl: 'https://m/t', ThumbUUID: 't', ThumbSize: 1, ThumbWidth: 1, ThumbHeight: 1, ThumbFormat: 'JPG', ThumbDownloadFlag: 2 },
    });
    expect(video).toMatchObject({ title: 'Video · mp4', facts: ['1:02:05', '3.0 GB'] });
    expect(video.links.map((l) => l.label)).toEqual([d.online, d.thumbnail]);
    expect(card({ MsgType: 'TIMLocationElem', MsgContent: { Desc: '腾讯滨海大厦', Latitude: 22.5229, Longitude: -113.9353 } })).toMatchObject({
      title: '腾讯滨海大厦',
      facts: ['Location', '22.5229° N, 113.9353° W'],
      links: [{ href: 'https://www.openstreetmap.org/?mlat=22.5229&mlon=-113.9353#map=16/22.5229/-113.9353', label: 'Map' }],
    });
    expect(card({ MsgType: 'TIMLocationElem', MsgContent: { Desc: '', Latitude: 200, Longitude: 0 } }).links).toEqual([]);
  });

  it('shows custom Data as JSON, text or escapes', () => {
    const custom = (Data: string) => only([{ MsgType: 'TIMCustomElem', MsgContent: { Data, Desc: 'd', Ext: 'e' } }]);
    expect(custom('{"a":[1,"<b>"]}')).toMatchObject({ dataForm: 'json', data: '{\n  "a": [\n    1,\n    "<b>"\n  ]\n}' });
    expect(custom('plain words')).toMatchObject({ dataForm: 'text', data: 'plain words', description: 'd', ext: 'e', sound: '' });
    expect(custom('\b\u0001{oops')).toMatchObject({ dataForm: 'escaped', data: '\\b\\u0001{oops' });
  });

  it('expands forwarded chats, stops at a depth limit, and keeps abstracts for stored-aside forwards', () => {
    const relay = (inner: MsgElem[], depth: number): MsgElem =>
      depth === 0
        ? inner[0]!
        : { MsgType: 'TIMRelayElem', MsgContent: { Title: `t${depth}`, MsgNum: 1, CompatibleText: '', AbstractList: [`a${depth}`], MsgList: [{ From_Account: 'bob', MsgTimeStamp: 1_700_000_000, MsgBody: [relay(inner, depth - 1)] }] } };
    const e = only([relay([{ MsgType: 'TIMTextElem', MsgContent: { Text: 'deep' } }], 6)]);
    let level: ElementView = e;
    let depth = 0;
    while (level.type === 'relay' && level.items) {
      expect(level.items[0]!.sender).toEqual({ account: 'bob', name: 'Bob' });
      level = level.items[0]!.elements[0]!;
      depth++;
    }
    expect(depth).toBe(4);
    expect(level).toMatchObject({ type: 'relay', title: 't2', abstracts: ['a2'] });
    expect(only([{ MsgType: 'TIMRelayElem', MsgContent: { Title: '', MsgNum: 3, CompatibleText: '[聊天记录]', AbstractList: ['x: y', 7 as unknown as string], JsonMsgKey: 'k' } }])).toEqual({
      type: 'relay',
      title: '[聊天记录]',
      count: 3,
      abstracts: ['x: y'],
      key: 'k',
    });
  });

  it('lists group notice fields with people named, and shows unknown elements whole', () => {
    expect(only([{ MsgType: 'TIMGroupTipElem', MsgContent: { OpType: 1, Operator_Account: 'alice', MemberList_Account: ['bob', 'zed'], Extra: { x: 1 } } }])).toEqual({
      type: 'notice',
      msgType: 'TIMGroupTipElem',
      fields: [
        { key: 'OpType', value: '1' },
        { key: 'Operator_Account', value: '爱丽丝 (alice)' },
        { key: 'MemberList_Account', value: 'Bob (bob), zed' },
        { key: 'Extra', value: '{"x":1}' },
      ],
      event: { kind: 'invite', operator: { account: 'alice', name: '爱丽丝' }, members: [{ account: 'bob', name: 'Bob' }, { account: 'zed' }] },
    });
    const unknown = only([{ MsgType: 'TIMStreamElem', MsgContent: { Chunks: ['a'] }, ElemFutureField: 3 }]);
    expect(unknown).toMatchObject({ type: 'unknown', msgType: 'TIMStreamElem' });
    expect(JSON.parse((unknown as { json: string }).json)).toEqual({ MsgType: 'TIMStreamElem', MsgContent: { Chunks: ['a'] }, ElemFutureField: 3 });
  });

  it('marks recalled and deleted messages, with or without the original', () => {
    const text: MsgElem[] = [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'said before the recall' } }];
    expect(viewMessage(row(text, { state: 2 }), names)).toMatchObject({ state: 'recalled', contentKept: true, elements: [{ type: 'text' }] });
    expect(viewMessage(row([], { state: 2 }, { IsPlaceMsg: 2 }), names)).toMatchObject({ state: 'recalled', contentKept: false, elements: [] });
    expect(viewMessage(row([], { state: 1, sender: '' }, { IsPlaceMsg: 1 }), names)).toMatchObject({ state: 'deleted', contentKept: false });
    expect(viewMessage(row([], { state: 7 }), names).state).toBe('deleted');
  });

  it('never throws on damaged content', () => {
    expect(viewMessage({ ...row([]), raw: '{not json' }, names).elements).toEqual([]);
    const weird = [null, 7, { MsgType: 'TIMTextElem' }, { MsgType: 'TIMImageElem', MsgContent: { ImageInfoArray: 'x' } }, { MsgContent: {} }] as unknown as MsgElem[];
    expect(viewMessage(row(weird), names).elements.map((e) => e.type)).toEqual(['unknown', 'unknown', 'text', 'image', 'unknown']);
  });

  it('names kinds as search does', () => {
    expect(kindNames(KINDS.text | KINDS.sound | KINDS.face, 0, false)).toEqual(['text', 'voice', 'face']);
    expect(kindNames(KINDS.other, 0, true)).toEqual(['other', 'system']);
    expect(kindNames(0, 2, false)).toEqual(['recalled']);
    expect(kindNames(0, 1, false)).toEqual(['deleted']);
  });
});

describe('Clock', () => {
  it('gives local times with the zone\'s offset at each instant, across daylight saving changes', () => {
    const berlin = new Clock('Europe/Berlin');
    // 2024-03-31 01:59:59 UTC+1 is followed by 03:00:00 UTC+2.
    expect(berlin.local(1_711_846_799).iso).toBe('2024-03-31T01:59:59+01:00');
    expect(berlin.local(1_711_846_800).iso).toBe('2024-03-31T03:00:00+02:00');
    expect(new Clock('Asia/Kolkata').local(0)).toEqual({ date: '1970-01-01', month: '1970-01', time: '05:30', iso: '1970-01-01T05:30:00+05:30' });
    expect(new Clock('America/St_Johns').local(1_720_000_000).iso).toBe('2024-07-03T07:16:40-02:30');
    expect(new Clock('UTC').zoneLabel(0)).toBe('UTC (UTC+00:00)');
  });

  it('speaks the transcript\'s language and refuses unknown zones clearly', () => {
    expect(new Clock('UTC', 'zh-CN').dayLabel('2024-05-01')).toBe('2024年5月1日星期三');
    expect(new Clock('UTC', 'en').dayLabel('2024-05-01')).toBe('Wednesday, May 1, 2024');
    expect(new Clock('UTC', 'zh-CN').monthLabel('2024-05')).toBe('2024年5月');
    expect(() => new Clock('Mars/Olympus')).toThrow('"Mars/Olympus" is not a time zone this system knows');
  });

  it('parses --lang values', () => {
    expect(['zh', 'zh_CN', 'ZH-cn', 'zh-TW', 'en', 'en-GB', 'fr'].map(parseLang)).toEqual(['zh-CN', 'zh-CN', 'zh-CN', 'zh-CN', 'en', 'en', undefined]);
  });
});

describe('planPages', () => {
  const clock = new Clock('UTC');
  const day = 86_400;
  const may = 1_714_521_600; // 2024-05-01T00:00:00Z

  it('starts a page at each new month and when a page is full, and names parts of a month', () => {
    const rows = [
      ...Array.from({ length: 5 }, (_, i) => ({ seq: i + 1, time: may - day + i, bytes: 100 })),
      ...Array.from({ length: 7 }, (_, i) => ({ seq: i + 6, time: may + i * day, bytes: 100 })),
      { seq: 13, time: may + 40 * day, bytes: 100 },
    ];
    const pages = planPages(rows, clock, { messages: 3, bytes: 1e9 });
    expect(pages.map((p) => [p.file, p.firstSeq, p.lastSeq, p.count])).toEqual([
      ['2024-04.html', 1, 3, 3],
      ['2024-04-2.html', 4, 5, 2],
      ['2024-05.html', 6, 8, 3],
      ['2024-05-2.html', 9, 11, 3],
      ['2024-05-3.html', 12, 12, 1],
      ['2024-06.html', 13, 13, 1],
    ]);
    expect(pages[2]).toMatchObject({ part: 1, parts: 3, minTime: may, maxTime: may + 2 * day });
  });

  it('cuts by size, keeps an oversized message alone, and never moves back a month', () => {
    const rows = [
      { seq: 1, time: may, bytes: 400 },
      { seq: 2, time: may, bytes: 400 },
      { seq: 3, time: may, bytes: 5000 },
      { seq: 4, time: may - day, bytes: 10 },
      { seq: 5, time: may + 1, bytes: 10 },
    ];
    const pages = planPages(rows, clock, { messages: 100, bytes: 2000 });
    expect(pages.map((p) => [p.file, p.firstSeq, p.lastSeq])).toEqual([
      ['2024-05.html', 1, 2],
      ['2024-05-2.html', 3, 3],
      ['2024-05-3.html', 4, 5],
    ]);
    expect(planPages([], clock)).toEqual([]);
  });
});

describe('group system messages in words', () => {
  const en = dictionary('en');
  const zh = dictionary('zh-CN');
  const say = (e: ElementView, d = en) => (e.type === 'notice' && e.event ? d.tip(e.event, { person: (p) => p.name ?? p.account }) : undefined);
  const tip = (content: Record<string, unknown>) => only([{ MsgType: 'TIMGroupTipElem', MsgContent: content }]);

  it('says who joined, was invited, left, was removed or made admin, in both languages', () => {
    expect(say(tip({ OpType: 1, Operator_Account: 'bob', MemberList_Account: ['bob'] }))).toBe('Bob joined the group');
    const invite = tip({ OpType: 1, Operator_Account: 'bob', MemberList_Account: ['alice', 'carol'] });
    expect(say(invite)).toBe('Bob invited 爱丽丝 and carol to the group');
    expect(say(invite, zh)).toBe('Bob 邀请 爱丽丝、carol 加入了群聊');
    expect(say(tip({ OpType: 2, Operator_Account: 'alice', MemberList_Account: ['alice'] }), zh)).toBe('爱丽丝 退出了群聊');
    expect(say(tip({ OpType: 3, Operator_Account: 'bob', MemberList_Account: ['carol'] }))).toBe('Bob removed carol from the group');
    expect(say(tip({ OpType: 4, Operator_Account: 'bob', MemberList_Account: ['alice'] }), zh)).toBe('Bob 将 爱丽丝 设为管理员');
  });

  it('words mutes, profile and notice changes, and topic events; the raw fields stay with it', () => {
    const mute = tip({ OpType: 7, Operator_Account: 'bob', MemberInfoList: [{ Member_Account: 'alice', ShutupTime: 600 }] });
    expect(say(mute)).toBe('Bob muted 爱丽丝 for 10 minutes');
    expect(say(mute, zh)).toBe('Bob 将 爱丽丝 禁言 10 分钟');
    expect(say(tip({ OpType: 7, Operator_Account: 'bob', MemberInfoList: [{ Member_Account: 'alice', ShutupTime: 0 }] }), zh)).toBe('Bob 解除了 爱丽丝 的禁言');
    expect(say(tip({ OpType: 6, Operator_Account: 'bob', GroupInfo: { Name: '新群名' } }), zh)).toBe('Bob 将群名称修改为“新群名”');
    const notice = tip({ OpType: 6, Operator_Account: 'bob', GroupInfo: { Notification: 'Read the rules' } });
    expect(say(notice)).toBe('Bob changed the group notice');
    expect(notice.type === 'notice' && notice.fields.map((f) => f.key)).toEqual(['OpType', 'Operator_Account', 'GroupInfo']);
    expect(say(tip({ OpType: 8, Operator_Account: 'bob', TopicName: '公告' }), zh)).toBe('Bob 创建了话题“公告”');
    expect(say(only([{ MsgType: 'TIMGroupSystemNoticeElem', MsgContent: { Type: 5, Operator_Account: 'bob' } }]), zh)).toBe('该群已解散');
  });

  it('keeps an operation it cannot word generic, never wrong', () => {
    const odd = tip({ OpType: 99, Operator_Account: 'bob' });
    expect(odd.type === 'notice' && odd.event).toBe(undefined);
    expect(odd.type === 'notice' && odd.fields.length).toBe(2);
  });
});
