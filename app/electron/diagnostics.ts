// What a person pastes into a support request ("Copy diagnostics") and what About shows: versions, paths and the
// last errors. Built from an explicit list of facts, never from the environment or the settings files, so it
// cannot pick up a SecretKey; the errors come from the log, which scrubs them (./log).

export interface Facts {
  version: string;
  packaged: boolean;
  /** process.versions: electron, chrome, node, v8. */
  versions: Partial<Record<'electron' | 'chrome' | 'node' | 'v8', string>>;
  platform: string;
  arch: string;
  osRelease: string;
  locale: string;
  dataDir: string;
  logsDir: string;
  autoUpdates: boolean;
}

export function aboutText(f: Facts): string {
  const v = f.versions;
  return [`Version ${f.version}${f.packaged ? '' : ' (development)'}`, `Electron ${v.electron ?? '?'} · Chromium ${v.chrome ?? '?'} · Node ${v.node ?? '?'} · V8 ${v.v8 ?? '?'}`, `${f.platform} ${f.arch} ${f.osRelease}`].join('\n');
}

export function diagnosticsText(f: Facts, recentErrors: readonly string[]): string {
  return [
    `TIM Group Backup diagnostics (${new Date().toISOString()})`,
    aboutText(f),
    `Locale: ${f.locale}`,
    `Data folder: ${f.dataDir}`,
    `Logs folder: ${f.logsDir}`,
    `Automatic update checks: ${f.autoUpdates ? 'on' : 'off'}`,
    `Recent errors (${recentErrors.length}):`,
    ...(recentErrors.length > 0 ? recentErrors.map((e) => `  ${e}`) : ['  none']),
  ].join('\n');
}
