// How test/electron/packaged.test.ts starts the real app: the packaged one when `npm run dist -- --dir` has produced
// one (dist/*-unpacked on Windows and Linux, dist/mac*/*.app on macOS), else the bundled app in the installed
// Electron. Kept apart from that test so that the choice is checked here, where no Electron binary exists.
//
// Not Playwright's _electron.launch: it drives the main process through --inspect, which the packaged app's fuses
// refuse (enableNodeCliInspectArguments: false), so it could never reach a packaged app. The app is started as a
// person starts it, plus Chromium's --remote-debugging-port=0, and Playwright attaches to the window over CDP.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Launch {
  executablePath: string;
  args: string[];
  /** The packaged app (fuses flipped), not Electron's binary with out/main.mjs. */
  packaged: boolean;
}

/** electron-builder's output folder (`--dir`) per platform and CPU, and the executable inside it. */
const FOLDERS: Partial<Record<NodeJS.Platform, Record<string, string>>> = {
  darwin: { x64: 'mac', arm64: 'mac-arm64' },
  win32: { x64: 'win-unpacked', arm64: 'win-arm64-unpacked' },
  linux: { x64: 'linux-unpacked', arm64: 'linux-arm64-unpacked' },
};
const EXECUTABLES: Partial<Record<NodeJS.Platform, string>> = {
  darwin: join('TIM Group Backup.app', 'Contents', 'MacOS', 'TIM Group Backup'),
  win32: 'TIM Group Backup.exe',
  linux: 'tim-group-backup',
};

/** The packaged app for this platform and CPU in dist/, if one was built. */
export function packagedExecutable(root: string, platform: NodeJS.Platform, arch: string): string | undefined {
  const folder = FOLDERS[platform]?.[arch];
  const executable = EXECUTABLES[platform];
  if (!folder || !executable) return undefined;
  const path = join(root, 'dist', folder, executable);
  return existsSync(path) ? path : undefined;
}

/** How to start the app on this platform and CPU, or why it cannot be started here. */
export function appLaunch(root: string, platform: NodeJS.Platform = process.platform, arch: string = process.arch): Launch | string {
  const debug = '--remote-debugging-port=0';
  const packaged = packagedExecutable(root, platform, arch);
  if (packaged) return { executablePath: packaged, args: [debug], packaged: true };
  // node_modules/electron/path.txt names the binary per platform (Electron.app/Contents/MacOS/Electron, electron.exe, electron).
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  const binary = existsSync(pathFile) ? join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim()) : undefined;
  if (!binary || !existsSync(binary)) return 'there is no Electron binary (node_modules/electron/dist is missing: it is downloaded by `npm install` on a connected machine) and no packaged app in dist/';
  if (!existsSync(join(root, 'renderer', 'dist', 'index.html'))) return 'the renderer is not built (renderer/dist/index.html)';
  return { executablePath: binary, args: [join(root, 'out', 'main.mjs'), debug], packaged: false };
}
