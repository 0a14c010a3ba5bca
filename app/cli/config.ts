// Where the CLI gets its settings: flags first, then the environment. The SecretKey comes only from the
// environment (or, later, the OS keychain through a saved profile) and is handed straight to the client.

import { resolve } from 'node:path';
import { endpointFor } from '../im/regions';
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
}

export const DEFAULT_ARCHIVE = 'tim-archive.sqlite';

export function archivePath(flags: GlobalFlags, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flags.archive ?? env.TIM_ARCHIVE ?? DEFAULT_ARCHIVE);
}

export function credentials(flags: GlobalFlags, env: NodeJS.ProcessEnv = process.env): Credentials {
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
