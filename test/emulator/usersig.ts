// UserSig verification as Tencent does it (spec §2): undo the URL-safe base64, inflate, parse the JSON (key
// order varies between Tencent's libraries), recompute the HMAC from the fields as read, then compare identity
// and expiry. Our own implementation: the project's client must not be the judge of its own signatures.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { ERR, fail } from './errors';

export interface SigExpectation {
  sdkAppId: number;
  identifier: string;
  secretKey: string;
  /** Unix seconds. */
  now: number;
}

const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

interface SigDoc {
  identifier: string;
  sdkAppId: number;
  time: number;
  expire: number;
  sig: string;
  userbuf?: string;
}

/** Throws TimFail with the code Tencent would answer; returns quietly when the sig is good. */
export function verifyUserSig(userSig: string, expect: SigExpectation): void {
  if (userSig === '') fail(ERR.sigEmpty, 'UserSig is empty: generate one from the SDKAppID, SecretKey and admin identifier');
  const doc = decode(userSig);
  const expected = hmac(expect.secretKey, doc);
  const given = Buffer.from(doc.sig, 'base64');
  if (!STANDARD_BASE64.test(doc.sig) || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    fail(ERR.sigHmac, 'UserSig verification failed: it was not signed with this application\'s SecretKey');
  }
  if (doc.identifier !== expect.identifier) fail(ERR.sigIdentifier, 'the identifier in the URL does not match the identifier the UserSig was made for');
  if (doc.sdkAppId !== expect.sdkAppId) fail(ERR.sigSdkAppId, 'the sdkappid in the URL does not match the SDKAppID the UserSig was made for');
  if (expect.now > doc.time + doc.expire) fail(ERR.sigExpired, 'UserSig expired: generate a new one');
}

export function hmac(secretKey: string, doc: Omit<SigDoc, 'sig'>): Buffer {
  let content = `TLS.identifier:${doc.identifier}\nTLS.sdkappid:${doc.sdkAppId}\nTLS.time:${doc.time}\nTLS.expire:${doc.expire}\n`;
  if (doc.userbuf !== undefined) content += `TLS.userbuf:${doc.userbuf}\n`;
  return createHmac('sha256', Buffer.from(secretKey, 'utf8')).update(content, 'utf8').digest();
}

function decode(userSig: string): SigDoc {
  const b64 = userSig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
  if (!STANDARD_BASE64.test(b64)) fail(ERR.sigUndecodable, 'UserSig is not in the TLSSigAPIv2 format (not base64)');
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(inflateSync(Buffer.from(b64, 'base64')));
  } catch {
    fail(ERR.sigUndecodable, 'UserSig is not in the TLSSigAPIv2 format (not a zlib stream of UTF-8 text)');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    fail(ERR.sigContent, 'UserSig content is not JSON');
  }
  const o = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const int = (k: string) => (Number.isSafeInteger(o[k]) && (o[k] as number) >= 0 ? (o[k] as number) : undefined);
  const identifier = o['TLS.identifier'];
  const sig = o['TLS.sig'];
  const userbuf = o['TLS.userbuf'];
  const sdkAppId = int('TLS.sdkappid');
  const time = int('TLS.time');
  const expire = int('TLS.expire');
  if (o['TLS.ver'] !== '2.0' || typeof identifier !== 'string' || typeof sig !== 'string' || sdkAppId === undefined || time === undefined || expire === undefined
    || (userbuf !== undefined && typeof userbuf !== 'string')) {
    fail(ERR.sigContent, 'UserSig content is incomplete: TLS.ver 2.0, TLS.identifier, TLS.sdkappid, TLS.time, TLS.expire and TLS.sig are required');
  }
  return { identifier, sdkAppId, time, expire, sig, ...(userbuf !== undefined ? { userbuf } : {}) };
}
