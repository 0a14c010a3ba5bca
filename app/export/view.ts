// What a reader is shown for one archived message: a view model built from the raw message, with no markup and
// no wording (labels come from ./i18n, numbers from ./units and ./clock). The HTML and TXT exports render it,
// and the desktop reader renders it too, so a message looks the same everywhere. Pure and total: any odd or
// hostile content gives a view, never an exception; every string in a view has been through visibleText().

import { isObject, KINDS, type KindName, str } from '../archive/extract';
import type { MediaCopy, Rendition } from '../media/types';
import { type TipEvent, tipEvent } from './tips';
import { bytesOrText, httpUrl, type TextSegment, textSegments, visibleText } from './visible';

/** One row of the archive's messages table, as the exports read it. */
export interface StoredMessage {
  seq: number;
  /** messages.state: 0 normal, 2 recalled, anything else deleted / failed to store. */
  state: number;
  sender: string;
  /** Unix seconds. */
  time: number;
  isSystem: boolean;
  /** The message JSON as archived (for a message recalled or deleted later: the original). */
  raw: string;
  /** The row no longer matches its checksum (app/archive/checksum.ts): its content must not be shown as the message. */
  damaged?: boolean;
}

export interface ViewContext {
  /** Display name of an account in this group (by default its card, else its nick) for a message sent at `time`
   *  (Unix seconds), if the archive knows one; the caller shows the account otherwise. */
  name(account: string, time?: number): string | undefined;
  /** What the media store holds of a rendition (key `uuid:rendition`, app/media/model.ts); absent where media are
   *  not looked up, and then views carry no copies. */
  media?(key: string): MediaCopy;
  /** The stored avatar of an account for a message sent at `time`; absent where avatars are not shown. */
  avatar?(account: string, time?: number): (MediaCopy & { sha256: string }) | undefined;
}

/** 'damaged': the archived row no longer matches its checksum; it is shown as damage, without its content. */
export type MessageState = 'normal' | 'recalled' | 'deleted' | 'damaged';

export interface Person {
  account: string;
  name?: string;
  /** Their avatar as the media store holds it; absent: show initials (app/people/initials.ts). */
  avatar?: MediaCopy & { sha256: string };
}

export interface MessageView {
  seq: number;
  time: number;
  sender: Person;
  state: MessageState;
  isSystem: boolean;
  /** For a recalled or deleted message: whether the archive kept what it said before. */
  contentKept: boolean;
  elements: ElementView[];
}

export interface MediaLinks {
  /** The http(s) URL at Tencent; media expires with the messages, so it may no longer work. */
  url?: string;
  /** The archive's copy of the file (an image's original), from ViewContext.media: its state, and sha256 once stored. */
  copy?: MediaCopy;
  /** An image's or a video's thumbnail, likewise. */
  thumb?: MediaCopy;
}

export type ElementView =
  | { type: 'text'; segments: TextSegment[] }
  | { type: 'face'; index?: number; data: string }
  | ({ type: 'image'; uuid: string; format: string; width?: number; height?: number; size?: number } & MediaLinks)
  | ({ type: 'file'; uuid: string; name: string; size?: number } & MediaLinks)
  | ({ type: 'voice'; uuid: string; seconds?: number; size?: number } & MediaLinks)
  | ({ type: 'video'; uuid: string; seconds?: number; size?: number; format: string; thumbnailUrl?: string } & MediaLinks)
  | { type: 'location'; description: string; latitude?: number; longitude?: number; mapUrl?: string }
  | { type: 'custom'; description: string; ext: string; sound: string; data: string; dataForm: CustomDataForm }
  | RelayView
  | { type: 'notice'; msgType: string; fields: NoticeField[]; event?: TipEvent }
  | { type: 'unknown'; msgType: string; json: string };

/** How a custom element's Data is shown: parsed JSON re-indented, plain text, or JSON-style escapes for bytes. */
export type CustomDataForm = 'json' | 'text' | 'escaped';

export interface RelayView {
  type: 'relay';
  title: string;
  count?: number;
  /** The forwarded messages; absent when Tencent stored them aside (JsonMsgKey) or nesting went too deep. */
  items?: RelayItemView[];
  /** Tencent's summary lines; shown when the items themselves are not in the message. */
  abstracts: string[];
  /** Set when the forwarded messages are stored at Tencent under this key instead of in the message. */
  key?: string;
}

export interface RelayItemView {
  sender?: Person;
  time?: number;
  elements: ElementView[];
}

export interface NoticeField {
  key: string;
  value: string;
}

/** Group tips and system notices: their shape is not documented for this API, so their fields are listed. */
const NOTICE_TYPES: ReadonlySet<string> = new Set(['TIMGroupTipElem', 'TIMGroupSystemNoticeElem']);

const IMAGE_FORMATS: Readonly<Record<number, string>> = { 1: 'JPG', 2: 'GIF', 3: 'PNG', 4: 'BMP' };

/** Forwards nest; deeper ones are shown by their title and abstracts only. */
const MAX_RELAY_DEPTH = 4;

export function viewMessage(row: StoredMessage, ctx: ViewContext): MessageView {
  if (row.damaged) return { seq: row.seq, time: row.time, sender: { account: '' }, state: 'damaged', isSystem: false, contentKept: false, elements: [] };
  let msg: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(row.raw);
    if (isObject(parsed)) msg = parsed;
  } catch {
    // An unparsable raw is shown as an empty message rather than stopping the export.
  }
  const body = Array.isArray(msg.MsgBody) ? (msg.MsgBody as unknown[]) : [];
  const state: MessageState = row.state === 0 ? 'normal' : row.state === 2 ? 'recalled' : 'deleted';
  return {
    seq: row.seq,
    time: row.time,
    sender: person(row.sender, ctx, row.time),
    state,
    isSystem: row.isSystem,
    contentKept: body.length > 0,
    elements: viewElements(body, ctx, 0),
  };
}

/** The element kinds of a row, in the names search and the CLI use ("voice", not "sound"), then its state. */
export function kindNames(kinds: number, state: number, isSystem: boolean): string[] {
  const names: string[] = [];
  for (const [name, bit] of Object.entries(KINDS) as [KindName, number][]) {
    if (kinds & bit) names.push(name === 'sound' ? 'voice' : name);
  }
  if (isSystem) names.push('system');
  if (state === 2) names.push('recalled');
  else if (state !== 0) names.push('deleted');
  return names;
}

function viewElements(body: unknown[], ctx: ViewContext, depth: number): ElementView[] {
  return body.map((el) => viewElement(isObject(el) ? el : {}, ctx, depth));
}

function viewElement(el: Record<string, unknown>, ctx: ViewContext, depth: number): ElementView {
  const type = typeof el.MsgType === 'string' ? el.MsgType : '';
  const c: Record<string, unknown> = isObject(el.MsgContent) ? el.MsgContent : {};
  switch (type) {
    case 'TIMTextElem':
      return { type: 'text', segments: textSegments(str(c.Text)) };
    case 'TIMFaceElem':
      return { type: 'face', ...optional('index', num(c.Index)), data: bytesOrText(str(c.Data)).text };
    case 'TIMImageElem': {
      const infos = (Array.isArray(c.ImageInfoArray) ? (c.ImageInfoArray as unknown[]) : []).filter(isObject);
      // Type 1 is the original; without it, the largest variant says the most.
      const best = infos.find((i) => i.Type === 1) ?? [...infos].sort((a, b) => (num(b.Size) ?? 0) - (num(a.Size) ?? 0))[0] ?? {};
      const uuid = str(c.UUID);
      const format = num(c.ImageFormat);
      return {
        type: 'image',
        uuid: visibleText(uuid),
        format: (format !== undefined ? IMAGE_FORMATS[format] : undefined) ?? '',
        ...optional('width', num(best.Width)),
        ...optional('height', num(best.Height)),
        ...optional('size', num(best.Size)),
        ...media(ctx, uuid, ['original', 'large'], best.URL, 'thumbnail'),
      };
    }
    case 'TIMFileElem': {
      const uuid = str(c.UUID);
      return { type: 'file', uuid: visibleText(uuid), name: visibleText(str(c.FileName)), ...optional('size', num(c.FileSize)), ...media(ctx, uuid, ['file'], c.Url) };
    }
    case 'TIMSoundElem': {
      const uuid = str(c.UUID);
      return { type: 'voice', uuid: visibleText(uuid), ...optional('seconds', num(c.Second)), ...optional('size', num(c.Size)), ...media(ctx, uuid, ['sound'], c.Url) };
    }
    case 'TIMVideoFileElem': {
      const uuid = str(c.VideoUUID);
      return {
        type: 'video',
        uuid: visibleText(uuid),
        format: visibleText(str(c.VideoFormat)),
        ...optional('seconds', num(c.VideoSecond)),
        ...optional('size', num(c.VideoSize)),
        ...optional('thumbnailUrl', httpUrl(c.ThumbUrl)),
        ...media(ctx, uuid, ['video'], c.VideoUrl),
        ...thumbOf(ctx, str(c.ThumbUUID), 'video-thumbnail'),
      };
    }
    case 'TIMLocationElem': {
      const latitude = num(c.Latitude);
      const longitude = num(c.Longitude);
      const valid = latitude !== undefined && longitude !== undefined && Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180;
      return {
        type: 'location',
        description: visibleText(str(c.Desc)),
        ...optional('latitude', latitude),
        ...optional('longitude', longitude),
        ...(valid ? { mapUrl: `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=16/${latitude}/${longitude}` } : {}),
      };
    }
    case 'TIMCustomElem': {
      const [data, dataForm] = customData(str(c.Data));
      return { type: 'custom', description: visibleText(str(c.Desc)), ext: visibleText(str(c.Ext)), sound: visibleText(str(c.Sound)), data, dataForm };
    }
    case 'TIMRelayElem':
      return relay(c, ctx, depth);
    default:
      if (NOTICE_TYPES.has(type)) {
        const event = tipEvent(type, c, (account) => person(account, ctx));
        return { type: 'notice', msgType: type, fields: noticeFields(c, ctx), ...(event ? { event: visibleEvent(event) } : {}) };
      }
      return { type: 'unknown', msgType: visibleText(type), json: visibleText(JSON.stringify(el, null, 2) ?? '') };
  }
}

function relay(c: Record<string, unknown>, ctx: ViewContext, depth: number): RelayView {
  const list = Array.isArray(c.MsgList) ? (c.MsgList as unknown[]) : undefined;
  const items =
    list && depth < MAX_RELAY_DEPTH
      ? list.filter(isObject).map((item): RelayItemView => {
          const time = num(item.MsgTimeStamp);
          return {
            ...(typeof item.From_Account === 'string' ? { sender: person(item.From_Account, ctx, time) } : {}),
            ...optional('time', time),
            elements: viewElements(Array.isArray(item.MsgBody) ? (item.MsgBody as unknown[]) : [], ctx, depth + 1),
          };
        })
      : undefined;
  const abstracts = (Array.isArray(c.AbstractList) ? (c.AbstractList as unknown[]) : []).filter((a): a is string => typeof a === 'string').map(visibleText);
  const key = str(c.JsonMsgKey);
  return {
    type: 'relay',
    title: visibleText(str(c.Title) || str(c.CompatibleText)),
    ...optional('count', num(c.MsgNum) ?? list?.length),
    ...(items ? { items } : {}),
    abstracts,
    ...(key ? { key: visibleText(key) } : {}),
  };
}

function noticeFields(c: Record<string, unknown>, ctx: ViewContext): NoticeField[] {
  return Object.entries(c).map(([key, value]) => ({
    key: visibleText(key),
    value: /account/iu.test(key) ? accounts(value, ctx) : plain(value),
  }));
}

/** Names and texts in an event come from the message: made visible like every other string of a view. */
function visibleEvent(e: TipEvent): TipEvent {
  return { ...e, ...(e.text !== undefined ? { text: visibleText(e.text) } : {}) };
}

/** Account fields of a notice name people as the transcript does elsewhere: "Name (account)". */
function accounts(value: unknown, ctx: ViewContext): string {
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v) => typeof v === 'string')) return plain(value);
  return (list as string[])
    .map((account) => {
      const p = person(account, ctx);
      return p.name ? `${p.name} (${p.account})` : p.account;
    })
    .join(', ');
}

function plain(value: unknown): string {
  if (typeof value === 'string') return visibleText(value);
  return visibleText(JSON.stringify(value) ?? String(value));
}

function customData(data: string): [string, CustomDataForm] {
  const t = data.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return [visibleText(JSON.stringify(JSON.parse(t), null, 2)), 'json'];
    } catch {
      // not JSON after all: shown as text or escapes below
    }
  }
  const shown = bytesOrText(data);
  return [shown.text, shown.escaped ? 'escaped' : 'text'];
}

/**
 * The remote URL and the store's copy of an element's file: the first of `renditions` that is stored, else the
 * first (whose state says why it is missing); an image's or video's thumbnail beside it.
 */
function media(ctx: ViewContext, uuid: string, renditions: Rendition[], url: unknown, thumb?: Rendition): MediaLinks {
  const remote = httpUrl(url);
  const copies = uuid && ctx.media ? renditions.map((r) => ctx.media!(`${uuid}:${r}`)) : [];
  const copy = copies.find((c) => c.state === 'stored') ?? copies[0];
  return { ...(remote ? { url: remote } : {}), ...(copy ? { copy } : {}), ...(thumb ? thumbOf(ctx, uuid, thumb) : {}) };
}

function thumbOf(ctx: ViewContext, uuid: string, rendition: Rendition): Pick<MediaLinks, 'thumb'> {
  const thumb = uuid ? ctx.media?.(`${uuid}:${rendition}`) : undefined;
  return thumb?.state === 'stored' ? { thumb } : {};
}

function person(account: string, ctx: ViewContext, time?: number): Person {
  const name = ctx.name(account, time);
  const avatar = ctx.avatar?.(account, time);
  return { account: visibleText(account), ...(name !== undefined && name !== account ? { name: visibleText(name) } : {}), ...(avatar ? { avatar } : {}) };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
