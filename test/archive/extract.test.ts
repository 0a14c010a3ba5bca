import { describe as group, expect, it } from 'vitest';
import { describe, KINDS, placeState } from '../../app/archive';
import type { GroupMsg, MsgElem } from '../../app/im/wire';
import { prng } from './chat';
import { msg } from './helpers';

const file = (name: string): MsgElem => ({ MsgType: 'TIMFileElem', MsgContent: { Url: 'u', UUID: 'f', FileSize: 1, FileName: name, Download_Flag: 2 } });

group('describe()', () => {
  it('renders every element in order, text verbatim and the rest as short bracketed forms', () => {
    const d = describe(
      msg(1, [
        { MsgType: 'TIMTextElem', MsgContent: { Text: 'see' } },
        file('报告.pdf'),
        { MsgType: 'TIMImageElem', MsgContent: { UUID: 'i', ImageFormat: 1, ImageInfoArray: [] } },
        { MsgType: 'TIMSoundElem', MsgContent: { Url: 'u', UUID: 's', Size: 1, Second: 5, Download_Flag: 2 } },
        { MsgType: 'TIMLocationElem', MsgContent: { Desc: '深圳湾', Latitude: 22.5, Longitude: 113.9 } },
        { MsgType: 'TIMFaceElem', MsgContent: { Index: 1, Data: 'smile' } },
        { MsgType: 'TIMTextElem', MsgContent: { Text: ' and  spaces ' } },
        { MsgType: 'TIMCustomElem', MsgContent: { Data: '\u0001', Desc: 'order #7', Ext: 'paid' } },
        { MsgType: 'TIMStreamElem', MsgContent: { x: 1 } },
      ]),
    );
    expect(d.text).toBe('see [file: 报告.pdf] [image] [voice 5s] [location: 深圳湾] [face] and  spaces [custom: order #7 paid] [TIMStreamElem]');
    expect(d.kinds).toBe(KINDS.text | KINDS.file | KINDS.image | KINDS.sound | KINDS.location | KINDS.face | KINDS.custom | KINDS.other);
    expect(d.searchable.split('\n')).toEqual(['see', '报告.pdf', '深圳湾', ' and  spaces ', 'order #7', 'paid']);
    expect(d).toMatchObject({ sender: 'user1', time: 1_700_000_001, isSystem: false });
  });

  it('a forwarded chat shows its title and abstracts; search also reaches the texts inside, nested', () => {
    const inner: MsgElem = {
      MsgType: 'TIMRelayElem',
      MsgContent: { Title: 'inner', MsgNum: 1, CompatibleText: '', AbstractList: [], MsgList: [{ MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'deep text' } }] }] },
    };
    const d = describe(
      msg(2, [
        {
          MsgType: 'TIMRelayElem',
          MsgContent: {
            Title: '群聊的聊天记录',
            MsgNum: 2,
            CompatibleText: '[聊天记录]',
            AbstractList: ['alice: hi', 'bob: 你好'],
            MsgList: [{ From_Account: 'alice', MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi there' } }, file('a.zip')] }, { MsgBody: [inner] }],
          },
        },
      ]),
    );
    expect(d.text).toBe('[forwarded: 群聊的聊天记录]\nalice: hi\nbob: 你好');
    expect(d.kinds).toBe(KINDS.relay);
    expect(d.searchable.split('\n')).toEqual(['群聊的聊天记录', 'alice: hi', 'bob: 你好', 'hi there', 'a.zip', 'inner', 'deep text']);
  });

  it('system messages and group tips are marked; a placeholder has no text', () => {
    expect(describe(msg(3, [{ MsgType: 'TIMGroupTipElem', MsgContent: { OpType: 1 } }])).isSystem).toBe(true);
    expect(describe({ ...msg(3, []), IsSystemMsg: 1 }).isSystem).toBe(true);
    const placeholder = describe({ From_Account: '', IsPlaceMsg: 1, MsgBody: [], MsgRandom: 1, MsgSeq: 3, MsgTimeStamp: 5 });
    expect(placeholder).toEqual({ sender: '', time: 5, kinds: 0, isSystem: false, text: '', searchable: '' });
    expect(placeState({ ...msg(3, []), IsPlaceMsg: 2 })).toBe(2);
  });

  it('lone surrogates come out well-formed in text', () => {
    const d = describe(msg(4, [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'a\ud800b' } }], { From_Account: 'x\udc00' }));
    expect(d.text).toBe('a\ufffdb');
    expect(d.sender).toBe('x\ufffd');
  });

  it('is total: odd shapes and random junk never throw', () => {
    const odd: unknown[] = [
      null,
      undefined,
      42,
      'text',
      [],
      {},
      { MsgBody: 'not an array' },
      { MsgBody: [null, 1, 'x', [], { MsgType: 7 }, { MsgType: 'TIMTextElem' }, { MsgType: 'TIMTextElem', MsgContent: { Text: 5 } }] },
      { MsgBody: [{ MsgType: 'TIMRelayElem', MsgContent: { AbstractList: 'no', MsgList: [null, { MsgBody: 3 }] } }] },
      { MsgBody: [{ MsgType: 'TIMSoundElem', MsgContent: { Second: 'five' } }], MsgTimeStamp: 'late', IsSystemMsg: NaN },
    ];
    for (const o of odd) expect(() => describe(o as GroupMsg)).not.toThrow();
    expect(describe({ MsgBody: [{ MsgType: 'TIMTextElem' }, { MsgType: 7 }] } as unknown as GroupMsg).text).toBe('[unknown]');

    const r = prng(7);
    const junk = (depth: number): unknown => {
      const x = r();
      if (depth > 3 || x < 0.3) return [null, 1, -0, 'TIMTextElem', '\ud800', true, NaN][Math.floor(r() * 7)];
      if (x < 0.6) return Array.from({ length: Math.floor(r() * 4) }, () => junk(depth + 1));
      const keys = ['MsgType', 'MsgContent', 'Text', 'MsgBody', 'MsgList', 'AbstractList', 'Title', 'FileName', 'Desc', 'Ext', 'From_Account'];
      return Object.fromEntries(Array.from({ length: Math.floor(r() * 5) }, () => [keys[Math.floor(r() * keys.length)]!, junk(depth + 1)]));
    };
    for (let i = 0; i < 500; i++) {
      const d = describe({ MsgBody: [junk(0), junk(0)], From_Account: junk(2) } as unknown as GroupMsg);
      expect(typeof d.text).toBe('string');
      expect(d.text.isWellFormed()).toBe(true);
    }
  });
});
