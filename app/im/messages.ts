// Every text an ImError shows a community manager, in one table per language so a zh-CN table can be added
// with `satisfies MessageTable`. Each says what happened and what to do. None may contain a secret: the
// parameters below are all that a message sees. Whether the request is tried again is not said here: ImError
// adds it, because after the last attempt it is no longer true.

export type MessageId =
  | 'rate-limited'
  | 'server-busy'
  | 'http-busy'
  | 'http-unexpected'
  | 'network'
  | 'timeout'
  | 'bad-response'
  | 'not-tencent'
  | 'web-page'
  | 'cursor-loop'
  | 'key'
  | 'sdkappid'
  | 'identifier-not-admin'
  | 'usersig'
  | 'usersig-expired'
  | 'app-disabled'
  | 'group-not-found'
  | 'group-invalid-id'
  | 'group-no-history'
  | 'too-large'
  | 'invalid-request'
  | 'unknown';

export interface MessageParams {
  /** Short API name, e.g. group_msg_get_simple. */
  api: string;
  code?: number;
  status?: number;
  /** Network failure: a Node error code (ECONNRESET…) or 'timeout'. */
  network?: string;
  /** Tencent's ErrorInfo, already cleaned of secrets. */
  info?: string;
  host?: string;
  sdkAppId?: number;
  identifier?: string;
  timeoutMs?: number;
}

export type MessageTable = Record<MessageId, (p: MessageParams) => string>;

const code = (p: MessageParams) => (p.code !== undefined ? ` (${p.code})` : '');
const said = (p: MessageParams) => (p.info ? ` Tencent said: "${p.info}".` : '');
const server = (p: MessageParams) => p.host ?? 'the server';
const app = (p: MessageParams) => (p.sdkAppId !== undefined ? `SDKAppID ${p.sdkAppId}` : 'this SDKAppID');
const seconds = (ms = 0) => (ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`);
const account = (p: MessageParams) => (p.identifier !== undefined ? `The account "${p.identifier}"` : 'The admin account');

export const MESSAGES_EN: MessageTable = {
  'rate-limited': (p) => `Tencent says calls to ${p.api} are too frequent${code(p)}. The backup slows down and tries again.`,
  'server-busy': (p) => `Tencent had an internal error or timed out on ${p.api}${code(p)}. This is usually temporary.`,
  'http-busy': (p) => `${server(p)} answered ${p.api} with HTTP ${p.status}. This is usually temporary.`,
  'http-unexpected': (p) =>
    `${server(p)} answered ${p.api} with HTTP ${p.status} instead of a Tencent IM reply. Check the region or base URL, and any proxy in between.`,
  network: (p) => `The connection to ${server(p)} failed (${p.network}) during ${p.api}. Check the internet connection.`,
  timeout: (p) => `${server(p)} did not answer ${p.api} within ${seconds(p.timeoutMs)}. Check the internet connection.`,
  'bad-response': (p) => `The answer from ${server(p)} to ${p.api} was cut short or is not valid JSON. Usually a network hiccup.`,
  'not-tencent': (p) => `${server(p)} answered ${p.api} with something that is not a Tencent IM reply. Check the region or base URL.`,
  'web-page': (p) =>
    `${server(p)} is not Tencent's IM API: it answered ${p.api} with a web page. Check the region or base URL, and any proxy or network sign-in page in between.`,
  'cursor-loop': (p) =>
    `Tencent returned the same position in the group list twice (${p.api}); listing stopped instead of looping forever. Try again later.`,
  key: (p) =>
    `Tencent rejected the signature${code(p)}: the SecretKey does not belong to ${app(p)}. ` +
    "Copy the key again from the IM console (the app's basic configuration) and check it is this app's key.",
  sdkappid: (p) =>
    `Tencent does not know ${app(p)}${code(p)}. Check the SDKAppID in the IM console, and that the region is the one the app was created in.`,
  'identifier-not-admin': (p) =>
    `${account(p)} is not an App admin of ${app(p)}${code(p)}. ` +
    'Use an App admin account (shown in the IM console, often "administrator"), or make this account an App admin there.',
  usersig: (p) =>
    `Tencent rejected the signature (UserSig) made for this request${code(p)}.${said(p)} Check the SDKAppID, the admin account name and the SecretKey.`,
  'usersig-expired': () =>
    "Tencent says the signature has expired (70001), even one made just now. Check that this computer's date, time and time zone are correct.",
  'app-disabled': (p) =>
    `Tencent refuses requests for ${app(p)}${code(p)}: the app is disabled, its IM service is suspended, or no IM package is active. ` +
    "Check the app's status and billing in the IM console.",
  'group-not-found': (p) => `This group does not exist or was dismissed${code(p)}. It is skipped.`,
  'group-invalid-id': (p) => `This group ID is not valid${code(p)}. Check the ID; the group is skipped.`,
  'group-no-history': (p) =>
    `Tencent has no message history to give for this group${code(p)}: AVChatRoom and BChatRoom groups keep none, ` +
    'or the admin account may not read it. The group is skipped.',
  'too-large': (p) => `These messages are too large to fetch together${code(p)}; fewer are asked for at a time.`,
  'invalid-request': (p) =>
    `Tencent refused the ${p.api} request as invalid${code(p)}.${said(p)} This is a bug in TIM Group Backup or an invalid input; ` +
    'please report it with this message.',
  unknown: (p) => `Tencent answered ${p.api} with error${code(p)}.${said(p)} Look the code up in Tencent's IM error code list.`,
};
