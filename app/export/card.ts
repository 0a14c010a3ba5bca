// What a message shows in words, beyond its text: the card of a media, location, custom or unknown element (a
// title, short facts such as size, duration, dimensions or coordinates, links, labelled details, a preformatted
// block) and the note on a recalled or deleted message. The HTML and TXT exports (and the desktop reader) draw
// the same words their own way. Pure.

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
  /** A local copy of an image, to show inline. */
  preview?: string;
}

export type CardElement = Extract<ElementView, { type: CardIcon }>;

export function isCard(e: ElementView): e is CardElement {
  return ['image', 'file', 'voice', 'video', 'location', 'custom', 'unknown'].includes(e.type);
}

export function cardOf(e: CardElement, d: Dictionary): Card {
  const base = { icon: e.type, facts: [] as string[], links: [] as CardLink[], details: [] as [string, string][] };
  const size = (n: number | undefined) => (n !== undefined ? [formatBytes(n)] : []);
  const seconds = (n: number | undefined) => (n !== undefined ? [formatSeconds(n)] : []);
  switch (e.type) {
    case 'image':
      return {
        ...base,
        title: [d.image, e.format].filter(Boolean).join(' · '),
        facts: [...(e.width !== undefined && e.height !== undefined ? [`${e.width}×${e.height}`] : []), ...size(e.size)],
        links: mediaLinks(e, d),
        ...(e.local ? { preview: e.local } : {}),
      };
    case 'file':
      return { ...base, title: e.name || d.file, facts: size(e.size), links: mediaLinks(e, d) };
    case 'voice':
      return { ...base, title: d.voice, facts: [...seconds(e.seconds), ...size(e.size)], links: mediaLinks(e, d) };
    case 'video':
      return {
        ...base,
        title: [d.video, e.format].filter(Boolean).join(' · '),
        facts: [...seconds(e.seconds), ...size(e.size)],
        links: [...mediaLinks(e, d), ...(e.thumbnailUrl ? [{ href: e.thumbnailUrl, label: d.thumbnail }] : [])],
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

function mediaLinks(e: MediaLinks, d: Dictionary): CardLink[] {
  return [...(e.local ? [{ href: e.local, label: d.localCopy, local: true }] : []), ...(e.url ? [{ href: e.url, label: d.online }] : [])];
}

/** For a recalled, deleted or damaged message: what happened, and whether the original is shown. */
export function stateNote(m: MessageView, d: Dictionary): string | undefined {
  if (m.state === 'damaged') return d.damaged;
  if (m.state === 'recalled') return m.contentKept ? d.recalledKept : d.recalledLost;
  if (m.state === 'deleted') return m.contentKept ? d.deletedKept : d.deletedLost;
  return undefined;
}
