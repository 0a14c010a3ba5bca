// The columns derived from a message for display, filtering and search. Pure and total: whatever Tencent (or a
// corrupted answer) puts in a message, describe() returns something sensible and never throws, because one odd
// message must not stop a backup.

import type { GroupMsg } from '../im/wire';

/** Element kinds as a bitmask (messages.kinds); system/recalled/deleted live in is_system/state instead. */
export const KINDS = {
  text: 1,
  image: 2,
  file: 4,
  sound: 8,
  video: 16,
  location: 32,
  face: 64,
  custom: 128,
  relay: 256,
  /** Group tips, system notices and MsgTypes this version does not know. */
  other: 512,
} as const;
export type KindName = keyof typeof KINDS;

const KIND_OF_TYPE: Readonly<Record<string, KindName>> = {
  TIMTextElem: 'text',
  TIMImageElem: 'image',
  TIMFileElem: 'file',
  TIMSoundElem: 'sound',
  TIMVideoFileElem: 'video',
  TIMLocationElem: 'location',
  TIMFaceElem: 'face',
  TIMCustomElem: 'custom',
  TIMRelayElem: 'relay',
};

/** Element types that are notices about the group rather than something a member said. */
const SYSTEM_TYPES: ReadonlySet<string> = new Set(['TIMGroupTipElem', 'TIMGroupSystemNoticeElem']);

/** Forwarded chats can nest; deeper than this is indexed no further (and cannot recurse without end). */
const MAX_RELAY_DEPTH = 4;

export interface Described {
  sender: string;
  /** MsgTimeStamp, Unix seconds; 0 when missing. */
  time: number;
  kinds: number;
  isSystem: boolean;
  /** Readable plain text of all elements in order, for display and snippets. */
  text: string;
  /** What full-text search must find, before indexForm(). */
  searchable: string;
}

export function describe(msg: GroupMsg): Described {
  const m: Record<string, unknown> = isObject(msg) ? msg : {};
  const body = Array.isArray(m.MsgBody) ? (m.MsgBody as unknown[]) : [];
  let kinds = 0;
  let isSystem = nonZero(m.IsSystemMsg);
  const pieces: Piece[] = [];
  for (const el of body) {
    const type = isObject(el) && typeof el.MsgType === 'string' ? el.MsgType : '';
    kinds |= KINDS[KIND_OF_TYPE[type] ?? 'other'];
    if (SYSTEM_TYPES.has(type)) isSystem = true;
    pieces.push(display(type, isObject(el) ? el.MsgContent : undefined));
  }
  return {
    sender: str(m.From_Account).toWellFormed(),
    time: typeof m.MsgTimeStamp === 'number' && Number.isFinite(m.MsgTimeStamp) ? m.MsgTimeStamp : 0,
    kinds,
    isSystem,
    text: joinPieces(pieces).toWellFormed(),
    searchable: searchableOf(body, 0).join('\n'),
  };
}

/** IsPlaceMsg as stored in messages.state: 0 normal, 1 placeholder, 2 recalled (other values kept as given). */
export function placeState(msg: GroupMsg): number {
  const v: unknown = isObject(msg) ? msg.IsPlaceMsg : undefined;
  return typeof v === 'number' && Number.isInteger(v) ? v : 0;
}

interface Piece {
  text: string;
  /** A bracketed stand-in like "[image]", kept apart from neighbouring words by a space. */
  bracket: boolean;
}

function labelled(label: string, detail: string): Piece {
  return { text: detail ? `[${label}: ${detail}]` : `[${label}]`, bracket: true };
}

function seconds(label: string, v: unknown): Piece {
  return { text: typeof v === 'number' && Number.isFinite(v) ? `[${label} ${v}s]` : `[${label}]`, bracket: true };
}

function display(type: string, content: unknown): Piece {
  const c: Record<string, unknown> = isObject(content) ? content : {};
  switch (type) {
    case 'TIMTextElem':
      return { text: str(c.Text), bracket: false };
    case 'TIMImageElem':
      return labelled('image', '');
    case 'TIMFileElem':
      return labelled('file', str(c.FileName));
    case 'TIMSoundElem':
      return seconds('voice', c.Second);
    case 'TIMVideoFileElem':
      return seconds('video', c.VideoSecond);
    case 'TIMLocationElem':
      return labelled('location', str(c.Desc));
    case 'TIMFaceElem':
      return labelled('face', '');
    case 'TIMCustomElem':
      return labelled('custom', [str(c.Desc), str(c.Ext)].filter(Boolean).join(' '));
    case 'TIMRelayElem': {
      const head = labelled('forwarded', str(c.Title)).text;
      return { text: [head, ...strings(c.AbstractList)].join('\n'), bracket: true };
    }
    default:
      return labelled(type || 'unknown', '');
  }
}

function joinPieces(pieces: Piece[]): string {
  let out = '';
  let prev: Piece | undefined;
  for (const p of pieces) {
    if (prev && (prev.bracket || p.bracket) && /\S$/u.test(out) && /^\S/u.test(p.text)) out += ' ';
    out += p.text;
    prev = p;
  }
  return out;
}

function searchableOf(body: unknown[], depth: number): string[] {
  const out: string[] = [];
  for (const el of body) {
    if (!isObject(el)) continue;
    const c: Record<string, unknown> = isObject(el.MsgContent) ? el.MsgContent : {};
    switch (el.MsgType) {
      case 'TIMTextElem':
        out.push(str(c.Text));
        break;
      case 'TIMCustomElem':
        out.push(str(c.Desc), str(c.Ext));
        break;
      case 'TIMFileElem':
        out.push(str(c.FileName));
        break;
      case 'TIMLocationElem':
        out.push(str(c.Desc));
        break;
      case 'TIMRelayElem':
        out.push(str(c.Title), ...strings(c.AbstractList));
        if (depth < MAX_RELAY_DEPTH && Array.isArray(c.MsgList)) {
          for (const item of c.MsgList as unknown[]) {
            if (isObject(item) && Array.isArray(item.MsgBody)) out.push(...searchableOf(item.MsgBody as unknown[], depth + 1));
          }
        }
        break;
    }
  }
  return out.filter(Boolean);
}

/** A JSON object (not null, not an array): how every reader of a message's loose JSON tells one. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The string, or '' for anything else. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s !== '') : [];
}

function nonZero(v: unknown): boolean {
  return typeof v === 'number' && v !== 0 && !Number.isNaN(v);
}
