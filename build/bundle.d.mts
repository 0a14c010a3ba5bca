/** Bundles main, preload and worker into `out` (default: the project's out/); resolves to that folder. */
export function bundle(out?: string): Promise<string>;
