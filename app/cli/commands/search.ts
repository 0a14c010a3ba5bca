import { Archive } from '../../archive';
import { search, type SearchHit, type SearchOrder, snippetText } from '../../search';
import { archivePath, type GlobalFlags } from '../config';
import { EXIT } from '../exit';
import { printable, printJson } from '../output';
import { UsageError, usage } from '../usage';
import { cliWords, messageList } from '../words';
import { filterFromFlags, resolveSenders } from '../filter-flags';

export interface SearchFlags extends GlobalFlags {
  group?: string[];
  from?: string[];
  since?: string;
  until?: string;
  kind?: string[];
  limit?: string;
  order?: string;
  after?: string;
}

/** How main's flags are declared (node:util parseArgs options): which take a value, which have a short form. */
type FlagSpec = Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string }>>;

/**
 * The arguments to parse when the command is `search`, else undefined. A word to exclude (`tim-backup search
 * hello -spam`) looks like an option to parseArgs, which would refuse it as "-s": after the command, every
 * argument that starts with "-" but is neither a known flag nor a flag's value is a query word. They are put
 * behind a "--" with the other words, in the order typed. A word starting with "--" stays a flag (a mistyped
 * one is still caught); `tim-backup search -- --word` searches for it.
 */
export function searchArgv(argv: readonly string[], flags: FlagSpec): string[] | undefined {
  const takesValue = (arg: string) => {
    const long = arg.startsWith('--') ? arg.slice(2) : undefined;
    const spec = long !== undefined ? flags[long] : Object.values(flags).find((f) => arg === `-${f.short}`);
    return spec?.type === 'string';
  };
  const options: string[] = [];
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    const knownShort = Object.values(flags).some((f) => arg === `-${f.short}`);
    if (arg.startsWith('--') || knownShort || (arg.startsWith('-') && arg !== '-' && words[0] !== 'search')) {
      options.push(arg);
      if (takesValue(arg) && i + 1 < argv.length) options.push(argv[++i]!);
    } else {
      words.push(arg);
    }
  }
  return words[0] === 'search' ? [...options, '--', ...words] : undefined;
}

/** `tim-backup search QUERY…`: the words after the command are one query, as typed in the app's search box. */
export async function searchCommand(flags: SearchFlags, words: string[]): Promise<number> {
  const query = words.join(' ');
  if (!query.trim()) throw usage('search-what');
  const limit = flags.limit === undefined ? 20 : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw usage('search-limit', { got: flags.limit });
  const order = flags.order ?? 'newest';
  if (order !== 'newest' && order !== 'oldest') throw usage('order', { got: order });
  const filter = filterFromFlags(flags);
  const archive = await Archive.open(archivePath(flags), { readOnly: true });
  try {
    let result;
    try {
      result = search(archive, query, resolveSenders(archive.db, filter), { limit, order: order as SearchOrder, ...(flags.after !== undefined ? { after: flags.after } : {}) });
    } catch (err) {
      // The only thing search() rejects is a cursor that did not come from it.
      throw err instanceof RangeError ? usage('after', { got: flags.after }) : err;
    }
    if (result.nothingToSearch !== undefined) throw new UsageError(result.nothingToSearch, 'nothing-to-search');
    if (flags.json) {
      // The cursor belongs to the answer: a script pages with --after until next is null.
      printJson({ hits: result.hits.map(jsonHit), next: result.next ?? null });
      return EXIT.ok;
    }
    const tty = process.stdout.isTTY === true;
    const words = cliWords();
    for (const h of result.hits) process.stdout.write(`${humanHit(h, tty, words)}\n`);
    if (result.hits.length === 0) process.stdout.write('No messages match.\n');
    const damaged = result.hits.filter((h) => h.damaged);
    if (damaged.length > 0) process.stdout.write(`\n${messageList(words.damagedHits(damaged.length), damaged, words)}\n${words.damagedNext}\n`);
    if (result.next) process.stdout.write(`\nMore hits: run the same search with --after ${result.next}\n`);
    return EXIT.ok;
  } finally {
    await archive.close();
  }
}

/** Tencent's field names where the hit carries a message field, so scripts can join hits with exports. */
function jsonHit(h: SearchHit) {
  return {
    GroupId: h.groupId,
    ...(h.topicId ? { TopicId: h.topicId } : {}),
    MsgSeq: h.seq,
    From_Account: h.sender,
    ...(h.senderName !== undefined ? { SenderName: h.senderName } : {}),
    MsgTimeStamp: h.time,
    Snippet: snippetText(h.snippet),
    SnippetSegments: h.snippet,
    ...(h.senderMatched ? { SenderMatched: true } : {}),
    ...(h.damaged ? { Damaged: true } : h.state === 2 ? { Recalled: true } : h.state !== 0 ? { Deleted: true } : {}),
  };
}

function humanHit(h: SearchHit, tty: boolean, words: ReturnType<typeof cliWords>): string {
  const d = new Date(h.time * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const when = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const who = h.senderName ? `${h.senderName} (${h.sender})` : h.sender;
  const text = h.damaged
    ? words.damagedMark
    : snippetText(
        h.snippet.map((s) => ({ ...s, text: printable(s.text) })),
        tty ? '\x1b[1;33m' : '«',
        tty ? '\x1b[0m' : '»',
      );
  return `${when}  ${printable(h.topicId || h.groupId)} ${words.messageNo(h.seq)}  ${printable(who)}: ${text}`;
}
