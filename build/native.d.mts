export interface Target {
  platform: 'darwin' | 'win32' | 'linux';
  arch: 'x64' | 'arm64';
  triple: string;
}
export const TARGETS: Target[];
export function packageOf(t: Target): string;
export function binaryOf(t: Target): string;
/** The OS and CPU a native module was built for, from its header. */
export function binaryTarget(bytes: Buffer): { platform: string; arch: string } | undefined;
/** What is wrong with the keychain module of a packaged app's resources folder for one target; empty when right. */
export function checkNative(resources: string, platform: string, arch: string): Promise<string[]>;
/** Installs the missing binary packages of `platform`'s targets; resolves to the package specs installed. */
export function fetchNative(platform?: string): string[];
/** electron-builder's afterPack hook. */
export function afterPack(context: { appOutDir: string; electronPlatformName: string; arch: number }): Promise<void>;
export default afterPack;
