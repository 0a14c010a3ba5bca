export interface PackagedApp {
  app: string;
  executable: string;
  resources: string;
  platform: string;
  arch: string;
}
/** The executable, resources folder, platform and CPU of a packaged app (a .app bundle, or the folder with the exe). */
export function packagedApp(path: string): Promise<PackagedApp>;
/** Fuses of the packaged binary that differ from `wanted` (electron-builder.yml's electronFuses); empty when all match. */
export function checkFuses(app: string, wanted: Record<string, boolean>): Promise<string[]>;
/** Every check of a packaged app; `signature: false` leaves out the OS's signature verdict. */
export function checkRelease(path: string, opts?: { signature?: boolean }): Promise<PackagedApp & { problems: string[] }>;
