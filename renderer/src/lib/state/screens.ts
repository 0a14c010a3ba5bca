// The states of the Overview, the run history and the People view, on the app's bridge. Their classes take the
// api they use, so tests hand them a stand-in (test/renderer).

import { api } from '../api';
import { HistoryState } from './history.svelte';
import { OverviewState } from './overview.svelte';
import { PeopleState } from './people.svelte';

export const overview = new OverviewState(api);
export const history = new HistoryState(api);
export const people = new PeopleState(api);
