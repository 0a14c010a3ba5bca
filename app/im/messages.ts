// Every text an ImError shows a community manager, in one table per language (MESSAGES_ZH must have every id
// MESSAGES_EN has). Each says what happened and what to do. None may contain a secret: the parameters below are
// all that a message sees. Whether the request is tried again is not said here: ImError adds it (RETRY), because
// after the last attempt it is no longer true.

import type { Said, Tables } from '../errors/said';

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

export type MessageTable = Readonly<Record<MessageId, (p: MessageParams) => string>>;

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

const codeZh = (p: MessageParams) => (p.code !== undefined ? `（错误码 ${p.code}）` : '');
const saidZh = (p: MessageParams) => (p.info ? `腾讯返回：“${p.info}”。` : '');
const serverZh = (p: MessageParams) => p.host ?? '服务器';
const appZh = (p: MessageParams) => (p.sdkAppId !== undefined ? `SDKAppID ${p.sdkAppId}` : '该 SDKAppID');
const secondsZh = (ms = 0) => (ms >= 1000 ? `${Math.round(ms / 1000)} 秒` : `${ms} 毫秒`);
const accountZh = (p: MessageParams) => (p.identifier !== undefined ? `账号“${p.identifier}”` : '该管理员账号');

export const MESSAGES_ZH = {
  'rate-limited': (p) => `腾讯提示调用 ${p.api} 过于频繁${codeZh(p)}。备份会放慢速度后重试。`,
  'server-busy': (p) => `腾讯处理 ${p.api} 时出现内部错误或超时${codeZh(p)}。这通常是暂时的。`,
  'http-busy': (p) => `${serverZh(p)} 对 ${p.api} 返回了 HTTP ${p.status}。这通常是暂时的。`,
  'http-unexpected': (p) =>
    `${serverZh(p)} 对 ${p.api} 返回了 HTTP ${p.status}，而不是腾讯即时通信 IM 的应答。请检查数据中心或接口地址，以及中间的代理。`,
  network: (p) => `调用 ${p.api} 时与 ${serverZh(p)} 的连接失败（${p.network}）。请检查网络连接。`,
  timeout: (p) => `${serverZh(p)} 在 ${secondsZh(p.timeoutMs)}内没有应答 ${p.api}。请检查网络连接。`,
  'bad-response': (p) => `${serverZh(p)} 对 ${p.api} 的应答被截断，或不是有效的 JSON。通常是网络短暂不稳定。`,
  'not-tencent': (p) => `${serverZh(p)} 对 ${p.api} 的应答不是腾讯即时通信 IM 的应答。请检查数据中心或接口地址。`,
  'web-page': (p) =>
    `${serverZh(p)} 不是腾讯即时通信 IM 的接口：它对 ${p.api} 返回了一个网页。请检查数据中心或接口地址，以及中间的代理或网络登录页面。`,
  'cursor-loop': (p) => `腾讯两次返回了群组列表中的同一位置（${p.api}），为避免无限循环已停止获取列表。请稍后再试。`,
  key: (p) =>
    `腾讯拒绝了签名${codeZh(p)}：该密钥（SecretKey）不属于 ${appZh(p)}。请从 IM 控制台（应用的基础配置）重新复制密钥，并确认是这个应用的密钥。`,
  sdkappid: (p) => `腾讯找不到 ${appZh(p)}${codeZh(p)}。请在 IM 控制台核对 SDKAppID，并确认数据中心是创建应用时选择的那个。`,
  'identifier-not-admin': (p) =>
    `${accountZh(p)}不是 ${appZh(p)} 的 App 管理员${codeZh(p)}。请使用 App 管理员账号（IM 控制台中列出，通常是 administrator），或在控制台把这个账号设为 App 管理员。`,
  usersig: (p) => `腾讯拒绝了为这次请求生成的签名（UserSig）${codeZh(p)}。${saidZh(p)}请检查 SDKAppID、App 管理员账号和密钥。`,
  'usersig-expired': () => '腾讯提示签名已过期（错误码 70001），即使是刚刚生成的签名也是如此。请检查这台电脑的日期、时间和时区是否正确。',
  'app-disabled': (p) =>
    `腾讯拒绝处理 ${appZh(p)} 的请求${codeZh(p)}：应用已停用、IM 服务已暂停，或没有生效的 IM 套餐。请在 IM 控制台查看应用状态和费用情况。`,
  'group-not-found': (p) => `这个群组不存在或已解散${codeZh(p)}，已跳过。`,
  'group-invalid-id': (p) => `这个群组 ID 无效${codeZh(p)}。请检查群组 ID；该群组已跳过。`,
  'group-no-history': (p) =>
    `腾讯没有这个群组的历史消息可提供${codeZh(p)}：直播群和广播大群不保存历史消息，或者该管理员账号无权读取。该群组已跳过。`,
  'too-large': (p) => `这些消息太大，无法一次拉取${codeZh(p)}；改为每次拉取更少的消息。`,
  'invalid-request': (p) =>
    `腾讯认为 ${p.api} 请求无效${codeZh(p)}。${saidZh(p)}这是 TIM Group Backup 的缺陷或输入无效，请附上这条信息反馈给我们。`,
  unknown: (p) => `腾讯对 ${p.api} 返回了错误${codeZh(p)}。${saidZh(p)}请在腾讯即时通信 IM 的错误码列表中查找该错误码。`,
} satisfies MessageTable;

export const MESSAGES: Tables<MessageId, MessageParams> = { en: MESSAGES_EN, 'zh-CN': MESSAGES_ZH };

/** Said after a failure that is retried, in each language. */
export const RETRY: Said = { en: 'The request is tried again.', 'zh-CN': '会自动重试。' };

/** Said once retrying has stopped. */
export function gaveUpAfter(attempts: number): Said {
  return { en: `Gave up after ${attempts} attempts.`, 'zh-CN': `已尝试 ${attempts} 次，不再重试。` };
}
