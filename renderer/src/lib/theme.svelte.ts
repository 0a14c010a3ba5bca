// Light or dark: the OS's choice unless the person picks one. The effective scheme lands on html[data-theme],
// the only thing app.css keys its colours on.

export type ThemeMode = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'theme';

export class Theme {
  mode = $state<ThemeMode>('system');
  private osDark = $state(false);

  readonly effective = $derived<'light' | 'dark'>(this.mode === 'system' ? (this.osDark ? 'dark' : 'light') : this.mode);

  /** Follows the OS and keeps html[data-theme] current; returns the cleanup. */
  start(): () => void {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'light' || saved === 'dark' || saved === 'system') this.mode = saved;
    const query = matchMedia('(prefers-color-scheme: dark)');
    this.osDark = query.matches;
    const onChange = (e: MediaQueryListEvent) => (this.osDark = e.matches);
    query.addEventListener('change', onChange);
    const stop = $effect.root(() => {
      $effect(() => {
        document.documentElement.dataset.theme = this.effective;
      });
    });
    return () => {
      query.removeEventListener('change', onChange);
      stop();
    };
  }

  set(mode: ThemeMode): void {
    this.mode = mode;
    localStorage.setItem(STORAGE_KEY, mode);
  }
}

export const theme = new Theme();
