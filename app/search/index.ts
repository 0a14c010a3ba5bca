// Archive search: the API the desktop app and the CLI call. ./README.md describes what matches and how.

export { FILTER_KINDS, FilterError, filterFromInput, type FilterInput, type FilterKind, filterWhere, type MessageFilter, parseDate, parseKinds } from './filter';
export { type ParsedQuery, parseQuery, type QueryToken, type Term } from './query';
export { rebuildIndex } from './rebuild';
export { around, type ContextMessage, type Cursor, type PageRequest, search, type SearchHit, type SearchOrder, type SearchResult } from './search';
export { type Segment, snippetText } from './snippet';
