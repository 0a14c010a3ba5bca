export const EXPECTED: { inAsar: string[]; unpacked: string[]; absentFromAsar: string[] };
/** Packages into a temporary folder and checks it; call cleanup() when done with `app` (the unpacked app folder). */
export function checkLayout(): Promise<{ problems: string[]; app: string; files: number; cleanup(): Promise<void> }>;
