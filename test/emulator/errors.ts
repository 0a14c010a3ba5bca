// The error codes the emulator answers, in one table (see README.md for when each is chosen). An emulated
// failure travels as a thrown TimFail and becomes a FAIL envelope at the HTTP layer.

export const ERR = {
  /** URL or query parameter wrong (method, path, sdkappid/identifier/usersig/random/contenttype). */
  url: 60002,
  /** Body empty, not JSON, or not a JSON object. */
  body: 60003,
  /** Per-API rate over the limit (default; configurable per app). */
  rate: 60007,
  sdkAppIdSyntax: 60006,
  notAdmin: 60010,
  appDisabled: 60016,
  sigExpired: 70001,
  sigEmpty: 70002,
  sigUndecodable: 70003,
  sigContent: 70005,
  sigHmac: 70009,
  sigIdentifier: 70013,
  sigSdkAppId: 70014,
  sdkAppIdUnknown: 70020,
  accountUnknown: 70107,
  internal: 10002,
  invalidParam: 10004,
  noPermission: 10007,
  groupNotFound: 10010,
  groupIdInvalid: 10015,
} as const;

export class TimFail extends Error {
  constructor(
    readonly code: number,
    info: string,
  ) {
    super(info);
  }
}

export function fail(code: number, info: string): never {
  throw new TimFail(code, info);
}
