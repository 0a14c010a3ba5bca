/** Bundles main, preload and worker into `out` (default: the project's out/); resolves to that folder. */
export function bundle(out?: string): Promise<string>;
export const CLI_BUNDLE: string;
export const CLI_INPUTS: string;
/** Bundles the CLI of the checkout at `from` (default: this one) into `<from>/out-cli`; resolves to that folder. */
export function bundleCli(from?: string): Promise<string>;
