// The archive's plain text (what search snippets are cut from) writes media and other non-text elements as
// English stand-ins: "[image]", "[file: a.pdf]", "[voice 5s]", "[forwarded: title]", "[TIMGroupTipElem]". The window
// shows them in its own language, with the transcript's words for each kind.

import type { Dictionary } from '../../../app/export/i18n';

const STAND_IN = /\[(image|file|voice|video|location|face|custom|forwarded|TIMGroupTipElem|TIMGroupSystemNoticeElem)(?:: ([^\]\n]*)| (\d+(?:\.\d+)?)s)?\]/gu;

export function localStandIns(text: string, d: Dictionary): string {
  return text.replace(STAND_IN, (_all, kind: string, detail: string | undefined, seconds: string | undefined) => {
    const label =
      kind === 'face' ? d.face
      : kind === 'forwarded' ? d.relay
      : kind.startsWith('TIMGroup') ? d.notice
      : (d.kinds[kind] ?? kind);
    if (detail !== undefined) return `[${label}: ${detail}]`;
    if (seconds !== undefined) return `[${label} ${d.seconds(seconds)}]`;
    return `[${label}]`;
  });
}
