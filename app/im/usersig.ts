// TLSSigAPIv2 UserSig generation (spec §2), our own implementation, checked against Tencent's npm package in
// test/im/usersig.test.ts. The SecretKey is used as its UTF-8 bytes — the console shows it as hex, but Tencent's
// libraries never hex-decode it.

import { createHmac } from 'node:crypto';
import { deflateSync } from 'node:zlib';

export interface SigInput {
  sdkAppId: number;
  secretKey: string;
  identifier: string;
  /** Lifetime in seconds. */
  expire: number;
  /** Unix seconds. */
  time: number;
}

export function genUserSig(p: SigInput): string {
  checkInt('SDKAppID', p.sdkAppId, 1);
  checkInt('expire', p.expire, 1);
  checkInt('time', p.time, 0);
  const content = `TLS.identifier:${p.identifier}\nTLS.sdkappid:${p.sdkAppId}\nTLS.time:${p.time}\nTLS.expire:${p.expire}\n`;
  const sig = createHmac('sha256', Buffer.from(p.secretKey, 'utf8')).update(content, 'utf8').digest('base64');
  const doc = {
    'TLS.ver': '2.0',
    'TLS.identifier': p.identifier,
    'TLS.sdkappid': p.sdkAppId,
    'TLS.time': p.time,
    'TLS.expire': p.expire,
    'TLS.sig': sig,
  };
  return deflateSync(Buffer.from(JSON.stringify(doc), 'utf8')).toString('base64').replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_');
}

function checkInt(what: string, n: number, min: number): void {
  if (!Number.isSafeInteger(n) || n < min) throw new RangeError(`UserSig ${what} must be an integer ≥ ${min} (got ${n}).`);
}

export interface UserSigCacheOptions {
  sdkAppId: number;
  secretKey: string;
  identifier: string;
  /** Lifetime of each sig in seconds; default one day, so a leaked URL stops working soon. */
  expire?: number;
  /** Unix seconds (may be fractional); default the wall clock. */
  now?: () => number;
}

export const DEFAULT_SIG_EXPIRE = 86_400;

/**
 * Hands out one sig until it nears its end, then makes a new one, so every request carries a sig that is valid
 * for a while yet even if our clock and Tencent's differ a little. The key lives in a private field: it never
 * shows in util.inspect, JSON or an error.
 */
export class UserSigCache {
  readonly #secretKey: string;
  readonly #now: () => number;
  readonly #input: Omit<SigInput, 'secretKey' | 'time'>;
  /** Renew when less than this many seconds of life remain: 10% of the lifetime, at most an hour. */
  readonly #margin: number;
  #sig = '';
  #expiresAt = -Infinity;

  constructor(o: UserSigCacheOptions) {
    this.#secretKey = o.secretKey;
    this.#now = o.now ?? (() => Date.now() / 1000);
    this.#input = { sdkAppId: o.sdkAppId, identifier: o.identifier, expire: o.expire ?? DEFAULT_SIG_EXPIRE };
    this.#margin = Math.min(this.#input.expire * 0.1, 3600);
  }

  get(): string {
    if (this.#now() >= this.#expiresAt - this.#margin) this.#make();
    return this.#sig;
  }

  /**
   * A new sig now (Tencent said `rejected` expired). Concurrent requests that failed with the same sig share
   * the first renewal instead of each making their own.
   */
  renew(rejected: string): string {
    if (rejected === this.#sig) this.#make();
    return this.#sig;
  }

  #make(): void {
    const time = Math.floor(this.#now());
    this.#sig = genUserSig({ ...this.#input, secretKey: this.#secretKey, time });
    this.#expiresAt = time + this.#input.expire;
  }
}
