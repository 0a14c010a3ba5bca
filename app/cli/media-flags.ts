// The media settings of a CLI run: --media, --max-file-size, --disk-floor and --media-bandwidth, else the
// --profile's media settings, else the defaults (app/media/policy.ts); and the downloader's warnings on stderr.

import { formatBytes } from '../export/units';
import { systemLang } from '../export/i18n';
import { endpointFor } from '../im/regions';
import { isLoopbackEndpoint } from '../media/address';
import type { MediaDownloadOptions } from '../media/downloader';
import { MEDIA_MODES, type MediaPolicy, parseByteSize, parseMediaMode, policyOf } from '../media/policy';
import { mediaWords } from '../media/words';
import { type GlobalFlags, savedProfile } from './config';
import { langOf } from './commands/export';
import { usage } from './usage';

export interface MediaFlags extends GlobalFlags {
  media?: string;
  'max-file-size'?: string;
  'disk-floor'?: string;
  'media-bandwidth'?: string;
  lang?: string;
}

export function mediaPolicyFrom(flags: MediaFlags): MediaPolicy {
  const saved = policyOf(savedProfile(flags)?.media);
  let mode = saved.mode;
  if (flags.media !== undefined) {
    const given = parseMediaMode(flags.media);
    if (!given) throw usage('backup-media', { choices: MEDIA_MODES, got: flags.media });
    mode = given;
  }
  return {
    mode,
    maxBytes: size(flags, 'max-file-size', 1) ?? saved.maxBytes,
    diskFloorBytes: size(flags, 'disk-floor', 0) ?? saved.diskFloorBytes,
  };
}

/** What runBackup and `media retry` need: the policy, the cap, whether loopback is allowed, warnings for people. */
export function mediaDownloadFrom(flags: MediaFlags, endpoint: string | undefined): Omit<MediaDownloadOptions, 'archive' | 'signal'> {
  const words = mediaWords(flags.lang !== undefined ? langOf(flags.lang) : systemLang());
  const bandwidth = size(flags, 'media-bandwidth', 1);
  return {
    policy: mediaPolicyFrom(flags),
    allowLoopback: endpoint !== undefined && isLoopbackEndpoint(endpoint),
    ...(bandwidth !== undefined ? { bytesPerSecond: bandwidth } : {}),
    onEvent: (e) => {
      if (flags.json) return;
      if (e.type === 'disk-paused') process.stderr.write(`${words.diskPaused(formatBytes(e.freeBytes), formatBytes(e.floorBytes))}\n`);
      if (e.type === 'disk-resumed') process.stderr.write(`${words.diskResumed}\n`);
    },
  };
}

/** The API endpoint the flags name, without asking for credentials (`media retry` needs no key); undefined if none. */
export function endpointOf(flags: GlobalFlags, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const where = flags.region ?? savedProfile(flags, env)?.endpoint ?? env.TIM_ENDPOINT ?? env.TIM_REGION;
  if (!where) return undefined;
  try {
    return endpointFor(where);
  } catch {
    return undefined;
  }
}

function size(flags: MediaFlags, name: 'max-file-size' | 'disk-floor' | 'media-bandwidth', min: number): number | undefined {
  const text = flags[name];
  if (text === undefined) return undefined;
  const bytes = parseByteSize(text);
  if (bytes === undefined || bytes < min) throw usage('size', { flag: name, got: text });
  return bytes;
}
