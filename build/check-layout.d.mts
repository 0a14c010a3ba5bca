export const EXPECTED: { inAsar: string[]; absentFromAsar: string[] };
/** The packaging configuration's own rules (entitlements, asarUnpack, afterPack, publish); empty when right. */
export function checkConfig(config: Record<string, unknown>): Promise<string[]>;
/** Packages into a temporary folder and checks it; call cleanup() when done with `app` (the unpacked app folder). */
export function checkLayout(): Promise<{ problems: string[]; app: string; files: number; cleanup(): Promise<void> }>;
