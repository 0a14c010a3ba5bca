// One message of the HTML transcript, from its view model. Every value goes through the `html` template, so
// whatever a message contains is text on the page, never markup.

import { type Card, cardOf, isCard, stateNote } from './card';
import type { Clock } from './clock';
import { html, type Html } from './html';
import type { Dictionary } from './i18n';
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
  ) {}

  message(m: MessageView, layout: MessageLayout): Html {
    const t = this.clock.local(m.time);
    const anchor = `seq-${m.seq}`;
    const gone = m.state !== 'normal';
    const cls = ['m', layout.head && !m.isSystem ? '' : 'c', m.isSystem ? 'sys' : '', gone ? 'gone' : ''].filter(Boolean).join(' ');
    const stamp = html`<a class="t" href="#${anchor}" title="Seq ${m.seq} · ${t.iso}"><time datetime="${t.iso}">${t.time}</time></a>`;
    const head = layout.head && !m.isSystem ? html`<div class="h">${this.person(m.sender)}</div>` : '';
    return html`<div class="${cls}" id="${anchor}">${head}${stamp}<div class="b">${this.state(m)}${this.elements(m.elements)}</div></div>
`;
  }

  /** A date line between days: the day in the transcript's language. */
  daySeparator(date: string): Html {
    return html`<h2 class="day"><time datetime="${date}">${this.clock.dayLabel(date)}</time></h2>
`;
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
    if (isCard(e)) return card(cardOf(e, d), d.rawData);
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
  const links = c.links.map((l) => (l.local ? html`<a href="${l.href}">${l.label}</a>` : externalLink(l.href, l.label)));
  const meta = [...c.facts, ...links].flatMap((p, i) => (i === 0 ? [p] : [' · ', p]));
  return html`<div class="card"><span class="ic ic-${c.icon}" aria-hidden="true"></span><div class="ci"><div class="cn" dir="auto">${c.title}</div>${
    meta.length ? html`<div class="cm">${meta}</div>` : ''
  }${keyValues(c.details)}${c.pre ? html`<details><summary>${rawLabel}</summary><pre>${c.pre}</pre></details>` : ''}${c.preview ? html`<img src="${c.preview}" alt="${c.title}" loading="lazy">` : ''}</div></div>`;
}

function keyValues(pairs: [string, string][]): Html | '' {
  return pairs.length ? html`<dl class="kv">${pairs.map(([k, v]) => html`<dt>${k}</dt><dd dir="auto">${v}</dd>`)}</dl>` : '';
}
