// What a message's media are, and where their bytes live: the one definition shared by the downloader (which
// fills the store during a backup) and by everything that shows or exports media (reader, viewer, exports).
//
// A media item is one rendition of one element, keyed by the element's UUID and the rendition — never by its
// URL, whose signed query string changes from one answer to the next. Its bytes are stored once per content
// (sha256) beside the archive, so the same picture sent to ten groups takes the disk once.

import { join } from 'node:path';
import { isObject, str } from '../archive/extract';
import type { GroupMsg } from '../im/wire';
import type { MediaKind, Rendition } from './types';

export type { MediaKind, MediaState, Rendition } from './types';

/** One rendition as a message carries it. */
export interface MediaRef {
  /** `${uuid}:${rendition}`, the media table's key. */
  key: string;
  uuid: string;
  rendition: Rendition;
  kind: MediaKind;
  /** The signed URL of this answer; undefined when the element carries none. */
  url: string | undefined;
  /** The size the element declares, in bytes (0 when it declares none). */
  declaredSize: number;
  /** A file element's name: for display and for naming a saved copy, never as a path. */
  fileName?: string;
  width?: number;
  height?: number;
  /** Voice and video length. */
  seconds?: number;
}

/** Forwarded chats can nest; media deeper than this are not collected (the same bound as the search text). */
const MAX_RELAY_DEPTH = 4;

const IMAGE_RENDITION: Readonly<Record<number, Rendition>> = { 1: 'original', 2: 'large', 3: 'thumbnail' };

/**
 * Every media rendition a message carries, in the order of its elements (a relay element's forwarded messages
 * included, to MAX_RELAY_DEPTH). Total: a malformed element yields nothing rather than throwing, as describe() does.
 * Renditions without a UUID cannot be keyed and are left out.
 */
export function mediaRefsOf(msg: GroupMsg): MediaRef[] {
  const out: MediaRef[] = [];
  collect(isObject(msg) && Array.isArray(msg.MsgBody) ? msg.MsgBody : [], 0, out);
  return out;
}

function collect(body: unknown[], depth: number, out: MediaRef[]): void {
  for (const el of body) {
    if (!isObject(el)) continue;
    const c: Record<string, unknown> = isObject(el.MsgContent) ? el.MsgContent : {};
    switch (el.MsgType) {
      case 'TIMImageElem':
        for (const info of Array.isArray(c.ImageInfoArray) ? c.ImageInfoArray : []) {
          if (!isObject(info)) continue;
          const rendition = IMAGE_RENDITION[num(info.Type)];
          if (rendition) push(out, str(c.UUID), rendition, 'image', info.URL, info.Size, { width: num(info.Width), height: num(info.Height) });
        }
        break;
      case 'TIMFileElem':
        push(out, str(c.UUID), 'file', 'file', c.Url, c.FileSize, { fileName: str(c.FileName) });
        break;
      case 'TIMSoundElem':
        push(out, str(c.UUID), 'sound', 'sound', c.Url, c.Size, { seconds: num(c.Second) });
        break;
      case 'TIMVideoFileElem':
        push(out, str(c.VideoUUID), 'video', 'video', c.VideoUrl, c.VideoSize, { seconds: num(c.VideoSecond) });
        push(out, str(c.ThumbUUID), 'video-thumbnail', 'video', c.ThumbUrl, c.ThumbSize, { width: num(c.ThumbWidth), height: num(c.ThumbHeight) });
        break;
      case 'TIMRelayElem':
        if (depth < MAX_RELAY_DEPTH && Array.isArray(c.MsgList)) {
          for (const item of c.MsgList) if (isObject(item) && Array.isArray(item.MsgBody)) collect(item.MsgBody, depth + 1, out);
        }
        break;
    }
  }
}

function push(
  out: MediaRef[], uuid: string, rendition: Rendition, kind: MediaKind, url: unknown, size: unknown,
  extra: Pick<MediaRef, 'fileName' | 'width' | 'height' | 'seconds'>,
): void {
  if (uuid === '') return;
  const u = str(url);
  out.push({ key: `${uuid}:${rendition}`, uuid, rendition, kind, url: u === '' ? undefined : u, declaredSize: Math.max(0, num(size)), ...extra });
}

/** The fields of an element that hold a media URL, per MsgType (a relay's forwarded messages are walked too). */
const URL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  TIMFileElem: ['Url'],
  TIMSoundElem: ['Url'],
  TIMVideoFileElem: ['VideoUrl', 'ThumbUrl'],
};

/**
 * The message with the query string of every media URL removed: Tencent signs media URLs afresh in every answer,
 * so two answers about the same message differ there and only there. Comparing this form tells a message that
 * changed from one that was merely signed again. Total, like mediaRefsOf; the input is not modified.
 */
export function withoutSignatures(msg: GroupMsg): GroupMsg {
  if (!isObject(msg) || !Array.isArray(msg.MsgBody)) return msg;
  return { ...msg, MsgBody: unsignBody(msg.MsgBody, 0) as GroupMsg['MsgBody'] };
}

function unsignBody(body: unknown[], depth: number): unknown[] {
  return body.map((el) => {
    if (!isObject(el) || !isObject(el.MsgContent)) return el;
    const c = el.MsgContent;
    const type = str(el.MsgType);
    if (type === 'TIMImageElem' && Array.isArray(c.ImageInfoArray)) {
      return { ...el, MsgContent: { ...c, ImageInfoArray: c.ImageInfoArray.map((i) => (isObject(i) && typeof i.URL === 'string' ? { ...i, URL: unsigned(i.URL) } : i)) } };
    }
    if (type === 'TIMRelayElem' && depth < MAX_RELAY_DEPTH && Array.isArray(c.MsgList)) {
      const list = c.MsgList.map((item) => (isObject(item) && Array.isArray(item.MsgBody) ? { ...item, MsgBody: unsignBody(item.MsgBody, depth + 1) } : item));
      return { ...el, MsgContent: { ...c, MsgList: list } };
    }
    const fields = URL_FIELDS[type];
    if (!fields) return el;
    const out: Record<string, unknown> = { ...c };
    for (const f of fields) if (typeof out[f] === 'string') out[f] = unsigned(out[f]);
    return { ...el, MsgContent: out };
  });
}

function unsigned(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** The media store's folder: beside the archive, named after it. */
export function mediaFolder(archivePath: string): string {
  return `${archivePath}.media`;
}

/** Where the bytes with this sha256 (lowercase hex) are stored: `<archive>.media/ab/cd/<sha256>`. */
export function mediaFilePath(archivePath: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${JSON.stringify(sha256)}`);
  return join(mediaFolder(archivePath), sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
