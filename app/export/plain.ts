// One message as plain text, from its view model: what the TXT export writes. Pure.

import { cardOf, isCard, type MediaHref, stateNote } from './card';
import type { Clock } from './clock';
import type { Dictionary } from './i18n';
import type { ElementView, MessageView, Person } from './view';

/** Message bodies are indented this far under their "time  sender  #Seq" line. */
const INDENT = '       ';

/** `href` names where the export put each stored media file (./media); without it, cards name Tencent's links. */
export function plainMessage(m: MessageView, d: Dictionary, clock: Clock, href?: MediaHref): string {
  // A damaged row's sender cannot be trusted either: its note says what it is.
  const who = m.isSystem ? `[${d.system}]` : m.state === 'damaged' ? '-' : plainPerson(m.sender, d);
  const lines = [`${clock.local(m.time).time}  ${who}  #${m.seq}`];
  const note = stateNote(m, d);
  if (note) lines.push(`(${note})`);
  for (const e of m.elements) lines.push(...plainElement(e, d, clock, href));
  return `${lines.map((l, i) => (i === 0 ? l : indent(l, INDENT))).join('\n')}\n`;
}

function plainPerson(p: Person, d: Dictionary): string {
  // Tencent's placeholders for deleted messages name no sender.
  if (!p.account) return `(${d.unknownSender})`;
  return p.name ? `${p.name} (${p.account})` : p.account;
}

function plainName(p: Person): string {
  return p.name ?? p.account;
}

function plainElement(e: ElementView, d: Dictionary, clock: Clock, href?: MediaHref): string[] {
  if (isCard(e)) {
    const c = cardOf(e, d, href);
    return [
      `[${[c.title, ...c.facts].join(' · ')}]`,
      ...(c.media?.missing ? [`(${c.media.missing})`] : []),
      ...c.links.map((l) => `${l.label}: ${l.href}`),
      ...c.details.map(([k, v]) => `${k}: ${v}`),
      ...(c.pre !== undefined ? [c.pre] : []),
    ];
  }
  switch (e.type) {
    case 'text':
      return [e.segments.map((s) => s.text).join('')];
    case 'face':
      return [`[${[d.face, e.index, e.data].filter((x) => x !== undefined && x !== '').join(' ')}]`];
    case 'notice':
      return [`[${e.event ? d.tip(e.event, { person: plainName }) : d.notice}]`, ...e.fields.map((f) => `  ${f.key}: ${f.value}`)];
    case 'relay': {
      const head = `[${d.relay}: ${e.title}${e.count !== undefined ? ` · ${d.messageCount(String(e.count))}` : ''}]`;
      if (!e.items) return [head, ...(e.key ? [d.relayStoredAside] : []), ...e.abstracts.map((a) => `- ${a}`)];
      const items = e.items.flatMap((item) => {
        const title = [item.sender ? plainPerson(item.sender, d) : '', item.time !== undefined ? clock.short(item.time) : ''].filter(Boolean).join('  ');
        return [title, ...item.elements.flatMap((el) => plainElement(el, d, clock, href)).map((l) => indent(l, '  '))];
      });
      return [head, ...items.map((l) => indent(l, '| '))];
    }
  }
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}
