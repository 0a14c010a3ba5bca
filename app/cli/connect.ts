// The pieces every networked command needs, built once from flags and environment.

import { DEFAULT_RATE, Pacer, RateError, checkRate } from '../engine/pacer';
import { ImClient } from '../im/client';
import { envProxy, ProxyConfigError } from '../im/proxy';
import { type GlobalFlags, credentials, savedProfile } from './config';
import { usageFrom } from './usage';

export interface ConnectFlags extends GlobalFlags {
  rate?: string;
}

export function rateFrom(flags: ConnectFlags): number {
  if (flags.rate === undefined) return savedProfile(flags)?.rate ?? DEFAULT_RATE;
  try {
    return checkRate(flags.rate);
  } catch (err) {
    if (err instanceof RateError) throw usageFrom(err);
    throw err;
  }
}

export function connect(flags: ConnectFlags): { client: ImClient; pacer: Pacer; sdkAppId: number; endpoint: string } {
  try {
    // Read now, so that a proxy we cannot use is a usage error rather than every request failing.
    envProxy();
  } catch (err) {
    if (err instanceof ProxyConfigError) throw usageFrom(err);
    throw err;
  }
  const rate = rateFrom(flags);
  const creds = credentials(flags);
  return { client: new ImClient(creds), pacer: new Pacer({ rate }), sdkAppId: creds.sdkAppId, endpoint: creds.endpoint };
}
