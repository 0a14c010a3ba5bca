// Raw calls for the emulator's own tests: global fetch plus Tencent's npm signer (tls-sig-api-v2), never the
// project's client, so the emulator is checked against Tencent's code rather than against ours.

import { createRequire } from 'node:module';
import { SERVICES } from '../../app/im/wire';
import type { ApiName } from './types';

interface TlsSigApi {
  genSig(identifier: string, expire: number): string;
}
const { Api } = createRequire(import.meta.url)('tls-sig-api-v2') as { Api: new (sdkAppId: number, key: string) => TlsSigApi };

export interface Creds {
  sdkAppId: number;
  identifier: string;
  secretKey: string;
}

/** A UserSig from Tencent's own library (its clock is Date.now). */
export function tencentSig(c: Creds, expire = 180 * 86400): string {
  return new Api(c.sdkAppId, c.secretKey).genSig(c.identifier, expire);
}

const sigs = new Map<string, string>();
/** One sig per credentials, as a client with a sig cache would send. */
function sigFor(c: Creds): string {
  const key = JSON.stringify([c.sdkAppId, c.identifier, c.secretKey]);
  let sig = sigs.get(key);
  if (sig === undefined) sigs.set(key, (sig = tencentSig(c)));
  return sig;
}

export interface CallOptions {
  method?: string;
  /** Replaces (string) or removes (undefined) query parameters. */
  query?: Record<string, string | undefined>;
  /** Sent as is instead of JSON.stringify(body). */
  rawBody?: string;
  path?: string;
}

export interface RawAnswer {
  status: number;
  text: string;
  json: Record<string, unknown>;
}

export function pathOf(api: ApiName): string {
  return Object.values(SERVICES).find((p) => p.endsWith(`/${api}`))!;
}

export async function rawCall(baseUrl: string, api: ApiName, body: unknown, c: Creds, opts: CallOptions = {}): Promise<RawAnswer> {
  const params: Record<string, string | undefined> = {
    sdkappid: String(c.sdkAppId),
    identifier: c.identifier,
    usersig: sigFor(c),
    random: String(Math.floor(Math.random() * 4294967296)),
    contenttype: 'json',
    ...opts.query,
  };
  const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
  const method = opts.method ?? 'POST';
  const res = await fetch(`${baseUrl}/${opts.path ?? pathOf(api)}?${query}`, {
    method,
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: opts.rawBody ?? JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Faults answer non-JSON on purpose; callers look at status and text.
  }
  return { status: res.status, text, json };
}
