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
import { usage, usageFrom } from './usage';

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
    if (err instanceof ProfileNotFound) throw usageFrom(err, 'profiles-in-app');
    throw err;
  }
  if (found.demo) throw usage('demo-profile', { got: found.name });
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
    if (err instanceof RetentionError) throw usageFrom(err, 'set-retention');
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
    throw usage('missing-env', { list: missing.join(', ') });
  }
  const sdkAppId = Number(env.TIM_SDKAPPID!.trim());
  if (!Number.isSafeInteger(sdkAppId) || sdkAppId <= 0) {
    throw usage('sdkappid', { got: env.TIM_SDKAPPID });
  }
  const where = flags.region ?? env.TIM_ENDPOINT ?? env.TIM_REGION;
  if (!where) {
    throw usage('no-region');
  }
  return { endpoint: endpointFor(where), sdkAppId, identifier: env.TIM_ADMIN!.trim(), secretKey: env.TIM_SECRET_KEY! };
}

/** Credentials of a saved profile: its settings (--region may override the endpoint) and its key from the keychain. */
function profileCredentials(profile: Profile, flags: GlobalFlags): Credentials {
  const secretKey = readSecretKeySync(profile.name);
  if (!secretKey) {
    throw usage('profile-no-key', { got: profile.name });
  }
  return { endpoint: endpointFor(flags.region ?? profile.endpoint), sdkAppId: profile.sdkAppId, identifier: profile.admin, secretKey };
}
