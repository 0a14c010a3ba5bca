// What a message shows in words, beyond its text: the card of a media, location, custom or unknown element (a
// title, short facts such as size, duration, dimensions or coordinates, links, labelled details, a preformatted
// block) and the note on a recalled or deleted message. The HTML and TXT exports (and the desktop reader) draw
// the same words their own way. Pure.

import { saveName } from '../media/file-name';
import type { MediaCopy } from '../media/types';
import type { Dictionary } from './i18n';
import { formatBytes, formatCoordinates, formatSeconds } from './units';
import type { ElementView, MediaLinks, MessageView } from './view';

export type CardIcon = 'image' | 'file' | 'voice' | 'video' | 'location' | 'custom' | 'unknown';

export interface CardLink {
  href: string;
  label: string;
  /** The archive's own copy (a relative link), as opposed to an http(s) URL at Tencent. */
  local?: boolean;
}

export interface Card {
  icon: CardIcon;
  title: string;
  facts: string[];
  links: CardLink[];
  details: [string, string][];
  pre?: string;
  /** The element's file as the archive keeps it: shown inline, played, or offered to save; else why it is missing. */
  media?: CardMedia;
}

/**
 * Where a stored copy is opened from — a path relative to the page in an export, the app's own protocol in the
 * reader — or undefined when this rendering does not include the file (an export with --media none).
 */
export type MediaHref = (copy: MediaCopy & { sha256: string }) => string | undefined;

export interface CardMedia {
  /** How the file is shown: an image inline, a player, or a file to save (also audio or video a browser cannot play). */
  show: 'image' | 'audio' | 'video' | 'file';
  /** The stored file (the original, for an image). */
  src?: string;
  sha256?: string;
  mime?: string;
  size: number;
  /** A stored thumbnail (an image's, or a video's poster). */
  thumb?: string;
  /** Why the file is not here, in words; absent when `src` is set. */
  missing?: string;
  /** Audio or video in a format no browser plays: said beside the link to save it. */
  unplayable?: string;
  /** A file's name to save it under: the message's file name made safe (../media/file-name), never a path. */
  saveAs?: string;
}

/** Types every browser the app and the transcripts target can play (Chromium, Firefox, Safari share these). */
const PLAYABLE: ReadonlySet<string> = new Set([
  'audio/mpeg', 'audio/mp4', 'audio/aac', 'audio/wav', 'audio/x-wav', 'audio/wave', 'audio/ogg', 'audio/webm', 'audio/flac',
  'video/mp4', 'video/webm', 'video/ogg',
]);

/** Image types a browser shows inline; others (HEIC, TIFF…) are files to save. */
const VIEWABLE: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/avif']);

export type CardElement = Extract<ElementView, { type: CardIcon }>;

export function isCard(e: ElementView): e is CardElement {
  return ['image', 'file', 'voice', 'video', 'location', 'custom', 'unknown'].includes(e.type);
}

/**
 * The card of an element. With `href`, a media element's card carries its file (or why it is missing) as
 * `media`; without, cards speak of Tencent's links only.
 */
export function cardOf(e: CardElement, d: Dictionary, href?: MediaHref): Card {
  const base = { icon: e.type, facts: [] as string[], links: [] as CardLink[], details: [] as [string, string][] };
  const size = (n: number | undefined) => (n !== undefined ? [formatBytes(n)] : []);
  const seconds = (n: number | undefined) => (n !== undefined ? [formatSeconds(n)] : []);
  switch (e.type) {
    case 'image':
      return {
        ...base,
        title: [d.image, e.format].filter(Boolean).join(' · '),
        facts: [...(e.width !== undefined && e.height !== undefined ? [`${e.width}×${e.height}`] : []), ...size(e.size)],
        ...withMedia(e, d, href, 'image'),
      };
    case 'file':
      return { ...base, title: e.name || d.file, facts: size(e.size), ...withMedia(e, d, href, 'file', undefined, e.name) };
    case 'voice':
      return { ...base, title: d.voice, facts: [...seconds(e.seconds), ...size(e.size)], ...withMedia(e, d, href, 'audio') };
    case 'video':
      return {
        ...base,
        title: [d.video, e.format].filter(Boolean).join(' · '),
        facts: [...seconds(e.seconds), ...size(e.size)],
        ...withMedia(e, d, href, 'video', e.thumbnailUrl),
      };
    case 'location':
      return {
        ...base,
        title: e.description || d.location,
        facts: [...(e.description ? [d.location] : []), ...(e.latitude !== undefined && e.longitude !== undefined ? [formatCoordinates(e.latitude, e.longitude)] : [])],
        links: e.mapUrl ? [{ href: e.mapUrl, label: d.map }] : [],
      };
    case 'custom':
      return {
        ...base,
        title: d.custom,
        details: ([[d.description, e.description], [d.ext, e.ext], [d.sound, e.sound]] as [string, string][]).filter(([, v]) => v !== ''),
        ...(e.data ? { pre: e.data } : {}),
      };
    case 'unknown':
      return { ...base, title: d.unknown(e.msgType), pre: e.json };
  }
}

/**
 * A media card's links and file. A stored file is linked locally and Tencent's signed URL left out (it expires
 * with the message; the copy is what lasts); a missing one says why, beside Tencent's link unless it expired.
 */
function withMedia(
  e: MediaLinks, d: Dictionary, href: MediaHref | undefined, show: CardMedia['show'], thumbnailUrl?: string, fileName?: string,
): Pick<Card, 'links' | 'media'> {
  const online = (url: string | undefined, label: string): CardLink[] => (url ? [{ href: url, label }] : []);
  const remote = [...online(e.url, d.online), ...online(thumbnailUrl, d.thumbnail)];
  const copy = e.copy;
  if (!href || !copy) return { links: remote };
  const stored = copy.state === 'stored' && copy.sha256 ? { ...copy, sha256: copy.sha256 } : undefined;
  const src = stored ? href(stored) : undefined;
  if (!stored || !src) {
    const missing = copy.state === 'stored' ? d.mediaNotExported : d.mediaMissing[copy.state];
    return { links: copy.state === 'expired' ? [] : remote, media: { show, size: copy.size, missing } };
  }
  const thumb = e.thumb?.sha256 ? href({ ...e.thumb, sha256: e.thumb.sha256 }) : undefined;
  const mime = stored.mime ?? '';
  const fits = show === 'image' ? VIEWABLE.has(mime) : show === 'file' || PLAYABLE.has(mime);
  return {
    links: [{ href: src, label: show === 'image' ? d.original : d.localCopy, local: true }],
    media: {
      show: fits ? show : 'file',
      src,
      sha256: stored.sha256,
      ...(stored.mime ? { mime: stored.mime } : {}),
      size: stored.size,
      ...(thumb ? { thumb } : {}),
      ...(!fits && show !== 'image' ? { unplayable: d.cannotPlay } : {}),
      ...(fileName ? { saveAs: saveName(fileName, src.slice(src.lastIndexOf('/') + 1)) } : {}),
    },
  };
}

/** For a recalled, deleted or damaged message: what happened, and whether the original is shown. */
export function stateNote(m: MessageView, d: Dictionary): string | undefined {
  if (m.state === 'damaged') return d.damaged;
  if (m.state === 'recalled') return m.contentKept ? d.recalledKept : d.recalledLost;
  if (m.state === 'deleted') return m.contentKept ? d.deletedKept : d.deletedLost;
  return undefined;
}
