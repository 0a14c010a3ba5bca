import { FilterError, type FilterInput, filterFromInput, type MessageFilter } from '../search/filter';
import { UsageError } from './usage';

/** The --group/--from/--since/--until/--kind flags as a filter; a mistake in them is a usage error (exit 2). */
export function filterFromFlags(flags: FilterInput): MessageFilter {
  try {
    return filterFromInput(flags);
  } catch (err) {
    throw err instanceof FilterError ? new UsageError(err.message) : err;
  }
}
