// One message of the HTML transcript, from its view model. Every value goes through the `html` template, so
// whatever a message contains is text on the page, never markup.

import { type Card, type CardMedia, cardOf, isCard, type MediaHref, stateNote } from './card';
import type { Clock } from './clock';
import { html, type Html } from './html';
import type { Dictionary } from './i18n';
import { initials } from '../people/initials';
import type { ElementView, MessageView, Person, RelayView } from './view';
import type { TextSegment } from './visible';

export interface MessageLayout {
  /** Start of a run of messages from one sender: show who sent it. */
  head: boolean;
}

export class MessageRenderer {
  constructor(
    private readonly dict: Dictionary,
    private readonly clock: Clock,
    /** Where the export's copy of a stored media file is, relative to the page (./media). */
    private readonly mediaHref?: MediaHref,
  ) {}

  message(m: MessageView, layout: MessageLayout): Html {
    const t = this.clock.local(m.time);
    const anchor = `seq-${m.seq}`;
    const gone = m.state !== 'normal';
    const cls = ['m', layout.head && !m.isSystem ? '' : 'c', m.isSystem ? 'sys' : '', gone ? 'gone' : ''].filter(Boolean).join(' ');
    const stamp = html`<a class="t" href="#${anchor}" title="Seq ${m.seq} · ${t.iso}"><time datetime="${t.iso}">${t.time}</time></a>`;
    const head = layout.head && !m.isSystem ? html`<div class="h">${this.avatar(m.sender)}${this.person(m.sender)}</div>` : '';
    return html`<div class="${cls}" id="${anchor}">${head}${stamp}<div class="b">${this.state(m)}${this.elements(m.elements)}</div></div>
`;
  }

  /** A date line between days: the day in the transcript's language. */
  daySeparator(date: string): Html {
    return html`<h2 class="day"><time datetime="${date}">${this.clock.dayLabel(date)}</time></h2>
`;
  }

  /**
   * The sender's avatar as the export's own file; without one (none stored, or an export without media) their
   * initials, so a page never shows a broken image or loads a picture from anywhere else.
   */
  private avatar(p: Person): Html {
    const src = p.avatar && this.mediaHref?.(p.avatar);
    return src ? html`<img class="av" src="${src}" alt="" width="24" height="24">` : html`<span class="av" aria-hidden="true">${initials(p.name ?? p.account)}</span>`;
  }

  private person(p: Person): Html {
    // Tencent's placeholders for deleted messages name no sender.
    if (!p.account) return html`<span class="n a">${this.dict.unknownSender}</span>`;
    return p.name ? html`<bdi class="n" title="${p.account}">${p.name}</bdi><bdi class="a">${p.account}</bdi>` : html`<bdi class="n">${p.account}</bdi>`;
  }

  private state(m: MessageView): Html | '' {
    const d = this.dict;
    const note = stateNote(m, d) ?? (m.isSystem && m.elements.length === 0 ? d.system : undefined);
    return note ? html`<p class="st">${note}</p>` : '';
  }

  private elements(els: ElementView[]): Html[] {
    return els.map((e) => this.element(e));
  }

  private element(e: ElementView): Html {
    const d = this.dict;
    if (isCard(e)) return card(cardOf(e, d, this.mediaHref), d.rawData);
    switch (e.type) {
      case 'text':
        return html`<p class="tx" dir="auto">${e.segments.map(segment)}</p>`;
      case 'face':
        return html`<p class="face">${d.face}${e.index !== undefined ? ` ${e.index}` : ''}${e.data ? html` <bdi>${e.data}</bdi>` : ''}</p>`;
      case 'relay':
        return this.relay(e);
      case 'notice':
        // The event in words; the fields as Tencent sent them one click away (<details> needs no script).
        return html`<div class="notice"><p class="tip">${e.event ? d.tip(e.event, { person: (p) => p.name ?? p.account }) : d.notice}</p><details><summary>${d.rawData}</summary><span class="a">${e.msgType}</span>${keyValues(e.fields.map((f) => [f.key, f.value]))}</details></div>`;
    }
  }

  private relay(e: RelayView): Html {
    const d = this.dict;
    const count = e.count !== undefined ? html` · ${d.messageCount(String(e.count))}` : '';
    const items = (e.items ?? []).map(
      (item) =>
        html`<div class="ri"><div class="h">${item.sender ? this.person(item.sender) : ''}${item.time !== undefined ? html` <span class="a">${this.clock.short(item.time)}</span>` : ''}</div>${this.elements(item.elements)}</div>`,
    );
    // Tencent's abstracts summarize the items; when the items are here, showing both would say everything twice.
    const aside = e.items
      ? ''
      : html`${e.key ? html`<p class="cm">${d.relayStoredAside}</p>` : ''}${e.abstracts.length ? html`<ul>${e.abstracts.map((a) => html`<li dir="auto">${a}</li>`)}</ul>` : ''}`;
    return html`<details class="relay" open><summary>${d.relay}: <bdi>${e.title}</bdi>${count}</summary>${items}${aside}</details>`;
  }
}

function segment(s: TextSegment): Html | string {
  return s.href ? externalLink(s.href, s.text) : s.text;
}

/** Only ever given http(s) URLs (see httpUrl); the linked page learns nothing about the transcript. */
function externalLink(href: string, text: string): Html {
  return html`<a href="${href}" rel="noopener noreferrer" target="_blank">${text}</a>`;
}

/** A card; its preformatted block (a custom message's data, an unknown element's JSON) one click away. */
function card(c: Card, rawLabel: string): Html {
  const save = c.media?.saveAs;
  const links = c.links.map((l) => (l.local ? html`<a href="${l.href}"${save ? html` download="${save}"` : ''}>${l.label}</a>` : externalLink(l.href, l.label)));
  const meta = [...c.facts, ...links].flatMap((p, i) => (i === 0 ? [p] : [' · ', p]));
  return html`<div class="card"><span class="ic ic-${c.icon}" aria-hidden="true"></span><div class="ci"><div class="cn" dir="auto">${c.title}</div>${
    meta.length ? html`<div class="cm">${meta}</div>` : ''
  }${keyValues(c.details)}${c.pre ? html`<details><summary>${rawLabel}</summary><pre>${c.pre}</pre></details>` : ''}${c.media ? media(c.media, c.title) : ''}</div></div>`;
}

/** The file itself: an image (its thumbnail, opening the original), a player, or why it is missing. */
function media(m: CardMedia, title: string): Html | '' {
  if (m.missing) return html`<p class="ph" data-media="missing">${m.missing}</p>`;
  if (!m.src) return '';
  switch (m.show) {
    case 'image':
      return html`<a class="pv" href="${m.src}"><img src="${m.thumb ?? m.src}" alt="${title}" loading="lazy"></a>`;
    case 'audio':
      return html`<audio controls preload="metadata" src="${m.src}"></audio>`;
    case 'video':
      return html`<video controls preload="metadata" src="${m.src}"${m.thumb ? html` poster="${m.thumb}"` : ''}></video>`;
    case 'file':
      return m.unplayable ? html`<p class="ph">${m.unplayable}</p>` : '';
  }
}

function keyValues(pairs: [string, string][]): Html | '' {
  return pairs.length ? html`<dl class="kv">${pairs.map(([k, v]) => html`<dt>${k}</dt><dd dir="auto">${v}</dd>`)}</dl>` : '';
}
