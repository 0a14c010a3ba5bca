import type { Db } from '../archive';
import { findSenders } from '../people/names';
import { FilterError, type FilterInput, filterFromInput, type MessageFilter } from '../search/filter';
import { printable } from './output';
import { usage, usageFrom } from './usage';

/** The --group/--from/--since/--until/--kind flags as a filter; a mistake in them is a usage error (exit 2). */
export function filterFromFlags(flags: FilterInput): MessageFilter {
  try {
    return filterFromInput(flags);
  } catch (err) {
    throw err instanceof FilterError ? usageFrom(err) : err;
  }
}

/**
 * --from takes an account or a name (a current or past group card or nickname). A name several people went by is
 * a usage error that lists them; text that is neither stays an account (it matches nothing).
 */
export function resolveSenders(db: Db, filter: MessageFilter): MessageFilter {
  if (!filter.senders?.length) return filter;
  const senders = filter.senders.map((text) => {
    const found = findSenders(db, text);
    if (found.length > 1) {
      const list = found.map((c) => `  ${printable(c.account)}  ${c.names.map(printable).join(', ')}`).join('\n');
      throw usage('ambiguous-name', { got: printable(text), count: found.length, list });
    }
    return found[0]?.account ?? text;
  });
  return { ...filter, senders };
}
