// The archive's English stand-ins for non-text elements, as the window shows them in its own language.

import { describe, expect, it } from 'vitest';
import { dictionary } from '../../app/export/i18n';
import { localStandIns } from '../../renderer/src/lib/stand-ins';

describe('localStandIns', () => {
  it('writes "[image]", "[voice 5s]", "[forwarded: …]" in the window’s language and leaves other text alone', () => {
    const zh = dictionary('zh-CN');
    expect(localStandIns('看这个 [image] 和 [voice 5s] [file: 报告.pdf] [forwarded: 群聊的聊天记录]', zh)).toBe('看这个 [图片] 和 [语音 5秒] [文件: 报告.pdf] [合并转发的聊天记录: 群聊的聊天记录]');
    expect(localStandIns('[face] [TIMGroupTipElem]', dictionary('en'))).toBe('[Sticker] [Group update]');
    expect(localStandIns('[not a stand-in] [image', zh)).toBe('[not a stand-in] [image');
  });
});
