// The worker's events, routed to the state they update. Returns one unsubscribe for all of them.

import { api } from '../api';
import { backup } from './backup.svelte';
import { coverage } from './coverage.svelte';
import { exporter } from './export.svelte';
import { groups } from './groups.svelte';
import { history, overview } from './screens';
import { session } from './session.svelte';

export function connectEvents(): () => void {
  const offs = [
    api.onBackupProgress((e) => backup.onProgress(e)),
    api.onBackupDone((e) => {
      backup.onDone(e);
      void groups.refreshArchive(e.profile);
      void coverage.refresh(e.profile);
      void overview.refresh(e.profile);
      void history.refresh(e.profile);
    }),
    api.onGroupsProgress((e) => groups.onProgress(e)),
    api.onExportProgress((e) => exporter.onProgress(e)),
    api.onExportDone((e) => exporter.onDone(e)),
    // A notification clicked: main sends this to the app's own window only.
    api.onNavigate((target) => session.navigate(target)),
  ];
  return () => {
    for (const off of offs) off();
  };
}
