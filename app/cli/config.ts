// Where the CLI gets its settings: flags first, then a saved profile of the desktop app (--profile NAME), then the
// environment. The SecretKey comes only from the environment or, with --profile, from the OS keychain, and is
// handed straight to the client.

import { resolve } from 'node:path';
import { endpointFor } from '../im/regions';
import { checkRetentionDays, DEFAULT_RETENTION_DAYS, RetentionError } from '../schedule/deadline';
import type { Profile } from '../ipc/contract';
import { readSecretKeySync } from '../profiles/keychain';
import { dataDir, settingsFile } from '../profiles/paths';
import { ProfileNotFound, readProfileSync } from '../profiles/settings';
import { UsageError } from './usage';

export interface Credentials {
  endpoint: string;
  sdkAppId: number;
  identifier: string;
  secretKey: string;
}

export interface GlobalFlags {
  region?: string;
  archive?: string;
  json?: boolean;
  /** A profile saved in the desktop app. */
  profile?: string;
}

/** The saved profile named by --profile (the app's data folder, or TIM_DATA_DIR), if one was named. */
export function savedProfile(flags: GlobalFlags, env: NodeJS.ProcessEnv = process.env): Profile | undefined {
  if (flags.profile === undefined) return undefined;
  let found: Profile;
  try {
    found = readProfileSync(settingsFile(dataDir(env)), flags.profile);
  } catch (err) {
    if (err instanceof ProfileNotFound) throw new UsageError(`${err.message} Profiles are created in the desktop app.`);
    throw err;
  }
  if (found.demo) throw new UsageError(`"${found.name}" is the desktop app's demo profile: it works only inside the app, with its built-in emulator.`);
  return found;
}

export const DEFAULT_ARCHIVE = 'tim-archive.sqlite';

/** The plan's retention in days: --retention, else the --profile's, else TIM_RETENTION_DAYS, else the shortest plan's (7). */
export function retentionDays(flags: GlobalFlags & { retention?: string }, env: NodeJS.ProcessEnv = process.env): number {
  const saved = flags.retention === undefined ? savedProfile(flags, env)?.retentionDays : undefined;
  if (saved !== undefined) return saved;
  const given = flags.retention ?? env.TIM_RETENTION_DAYS;
  if (given === undefined || given.trim() === '') return DEFAULT_RETENTION_DAYS;
  try {
    return checkRetentionDays(Number(given));
  } catch (err) {
    if (err instanceof RetentionError) throw new UsageError(`${err.message} Set it with --retention or TIM_RETENTION_DAYS to your plan's: 7, 30 or 90.`);
    throw err;
  }
}

export function archivePath(flags: GlobalFlags, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flags.archive ?? savedProfile(flags, env)?.archivePath ?? env.TIM_ARCHIVE ?? DEFAULT_ARCHIVE);
}

export function credentials(flags: GlobalFlags, env: NodeJS.ProcessEnv = process.env): Credentials {
  const profile = savedProfile(flags, env);
  if (profile) return profileCredentials(profile, flags);
  const missing = ['TIM_SDKAPPID', 'TIM_ADMIN', 'TIM_SECRET_KEY'].filter((k) => !env[k]?.trim());
  if (missing.length > 0) {
    throw new UsageError(
      `Missing ${missing.join(', ')}. Set TIM_SDKAPPID (your app's SDKAppID), TIM_ADMIN (an App admin account) ` +
        'and TIM_SECRET_KEY (the key from the IM console) in the environment.',
    );
  }
  const sdkAppId = Number(env.TIM_SDKAPPID!.trim());
  if (!Number.isSafeInteger(sdkAppId) || sdkAppId <= 0) {
    throw new UsageError(`TIM_SDKAPPID must be the numeric SDKAppID shown in the IM console (got "${env.TIM_SDKAPPID}").`);
  }
  const where = flags.region ?? env.TIM_ENDPOINT ?? env.TIM_REGION;
  if (!where) {
    throw new UsageError('Say where your app lives: --region <name> (e.g. china, singapore) or TIM_ENDPOINT=<base URL>.');
  }
  return { endpoint: endpointFor(where), sdkAppId, identifier: env.TIM_ADMIN!.trim(), secretKey: env.TIM_SECRET_KEY! };
}

/** Credentials of a saved profile: its settings (--region may override the endpoint) and its key from the keychain. */
function profileCredentials(profile: Profile, flags: GlobalFlags): Credentials {
  const secretKey = readSecretKeySync(profile.name);
  if (!secretKey) {
    throw new UsageError(`The profile "${profile.name}" has no SecretKey in the system keychain. Enter it in the desktop app (or use TIM_SECRET_KEY without --profile).`);
  }
  return { endpoint: endpointFor(flags.region ?? profile.endpoint), sdkAppId: profile.sdkAppId, identifier: profile.admin, secretKey };
}
