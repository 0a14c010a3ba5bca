// A mistake in how the command was called: printed as is, exit code 2, no stack trace. Every sentence is in
// USAGE_EN and USAGE_ZH (which must have the same ids); the CLI prints the one of its language.

import { joinSaid, type Said, SaidError, type Sentences, type Tables, sayAll } from '../errors/said';

export type UsageId =
  | 'unknown-option'
  | 'bad-option'
  | 'unknown-command'
  | 'ambiguous-name'
  | 'profiles-in-app'
  | 'demo-profile'
  | 'set-retention'
  | 'missing-env'
  | 'sdkappid'
  | 'no-region'
  | 'profile-no-key'
  | 'backup-media'
  | 'size'
  | 'history-limit'
  | 'search-what'
  | 'search-limit'
  | 'order'
  | 'after'
  | 'members-which'
  | 'app-has-no-group'
  | 'media-args'
  | 'lookback'
  | 'profile-age'
  | 'retry-run'
  | 'retry-no-groups'
  | 'see-history'
  | 'format'
  | 'out-folder'
  | 'out-file'
  | 'stdout-json'
  | 'names'
  | 'export-media'
  | 'lang';

/** What a usage sentence may quote: the flag, what was typed (`got`), the choices, a list of names. */
export interface UsageParams {
  flag?: string;
  got?: string;
  choices?: readonly string[];
  /** Node's own sentence about the command line (English). */
  detail?: string;
  /** How many (people of a name). */
  count?: number;
  /** Lines listing what to choose from, or quoted IDs. */
  list?: string;
}

const choices = (p: UsageParams, sep = ', ') => (p.choices ?? []).join(sep);

export const USAGE_EN = {
  'unknown-option': (p) => p.detail ?? `Unknown option '${p.flag}'.`,
  'bad-option': (p) => p.detail ?? `The option '${p.flag}' is not used correctly.`,
  'unknown-command': (p) => `Unknown command "${p.got}". Commands: ${choices(p)}.`,
  'ambiguous-name': (p) => `"${p.got}" is a name of ${p.count} people; choose one with --from ACCOUNT:\n${p.list}`,
  'profiles-in-app': () => 'Profiles are created in the desktop app.',
  'demo-profile': (p) => `"${p.got}" is the desktop app's demo profile: it works only inside the app, with its built-in emulator.`,
  'set-retention': () => "Set it with --retention or TIM_RETENTION_DAYS to your plan's: 7, 30 or 90.",
  'missing-env': (p) =>
    `Missing ${p.list}. Set TIM_SDKAPPID (your app's SDKAppID), TIM_ADMIN (an App admin account) and TIM_SECRET_KEY (the key from the IM console) in the environment.`,
  sdkappid: (p) => `TIM_SDKAPPID must be the numeric SDKAppID shown in the IM console (got "${p.got}").`,
  'no-region': () => 'Say where your app lives: --region <name> (e.g. china, singapore) or TIM_ENDPOINT=<base URL>.',
  'profile-no-key': (p) =>
    `The profile "${p.got}" has no SecretKey in the system keychain. Enter it in the desktop app (or use TIM_SECRET_KEY without --profile).`,
  'backup-media': (p) => `--media must be one of ${choices(p)} (got "${p.got}").`,
  size: (p) => `--${p.flag} must be a size such as 200MB, 1.5GB or 500k (got "${p.got}").`,
  'history-limit': (p) => `--limit must be a whole number of runs, 1 or more (got "${p.got}").`,
  'search-what': () => 'Say what to search for: tim-backup search WORDS (for example: tim-backup search 你好 meeting).',
  'search-limit': (p) => `--limit must be a whole number from 1 to 500 (got "${p.got}").`,
  order: (p) => `--order must be newest or oldest (got "${p.got}").`,
  after: (p) => `--after "${p.got}" is not a page cursor that this search gave; start again from the first page (without --after).`,
  'members-which': () => 'Say which group: tim-backup members GROUP_ID.',
  'app-has-no-group': (p) => `The app has no group ${p.list}. "tim-backup groups" lists them.`,
  'media-args': (p) => `"tim-backup media" lists missing media; "tim-backup media retry" downloads them again (got "${p.got}").`,
  lookback: (p) => `--lookback must be a whole number of messages (got "${p.got}").`,
  'profile-age': (p) => `--profile-age must be a number of hours (got "${p.got}").`,
  'retry-run': (p) => `--retry takes the number of a run, as "tim-backup history" lists them (got "${p.got}").`,
  'retry-no-groups': () => '--retry backs up the groups that run left unfinished: name no groups with it.',
  'see-history': () => '"tim-backup history" lists the runs.',
  format: (p) => `--format must be one of ${choices(p)} (got "${p.got}").`,
  'out-folder': () => 'Say which folder to write the export to: --out FOLDER.',
  'out-file': () => 'Say where to write the export: --out FILE.',
  'stdout-json': () => '--out - writes the export to standard output, so --json cannot be used with it. Write the export to a file to get the JSON summary.',
  names: (p) => `--names must be one of ${choices(p)} (got "${p.got}").`,
  'export-media': (p) => `--media must be copy (include the stored media files) or none (leave them out) for an export (got "${p.got}").`,
  lang: (p) => `--lang must be one of ${choices(p)} (got "${p.got}").`,
} satisfies Sentences<UsageId, UsageParams>;

export const USAGE_ZH = {
  'unknown-option': (p) => `不认识的选项 ${p.flag}。请检查拼写；以“-”开头的搜索词请放在 -- 之后。`,
  'bad-option': (p) => `选项 ${p.flag} 用法不对：它需要一个值却没有给出，或者它不接受值。`,
  'unknown-command': (p) => `没有“${p.got}”这个命令。可用的命令：${choices(p, '、')}。`,
  'ambiguous-name': (p) => `“${p.got}”是 ${p.count} 个人用过的名字，请用 --from 账号 选择其中一人：\n${p.list}`,
  'profiles-in-app': () => '应用需要在桌面版中添加。',
  'demo-profile': (p) => `“${p.got}”是桌面版的演示应用：它只能在桌面版中配合内置的模拟服务使用。`,
  'set-retention': () => '请用 --retention 或 TIM_RETENTION_DAYS 设为您套餐的保留天数：7、30 或 90。',
  'missing-env': (p) =>
    `缺少 ${p.list}。请在环境变量中设置 TIM_SDKAPPID（应用的 SDKAppID）、TIM_ADMIN（App 管理员账号）和 TIM_SECRET_KEY（IM 控制台中的密钥）。`,
  sdkappid: (p) => `TIM_SDKAPPID 必须是 IM 控制台中显示的数字 SDKAppID（当前为“${p.got}”）。`,
  'no-region': () => '请指明应用所在的数据中心：--region <名称>（例如 china、singapore），或 TIM_ENDPOINT=<接口地址>。',
  'profile-no-key': (p) => `应用“${p.got}”在系统钥匙串中没有保存密钥。请在桌面版中填写（或不加 --profile，改用 TIM_SECRET_KEY）。`,
  'backup-media': (p) => `--media 只能是 ${choices(p, '、')} 之一（当前为“${p.got}”）。`,
  size: (p) => `--${p.flag} 必须是一个大小，例如 200MB、1.5GB 或 500k（当前为“${p.got}”）。`,
  'history-limit': (p) => `--limit 必须是 1 或更大的整数，表示显示多少次备份（当前为“${p.got}”）。`,
  'search-what': () => '请说明要搜索什么：tim-backup search 关键词（例如：tim-backup search 你好 meeting）。',
  'search-limit': (p) => `--limit 必须是 1 到 500 之间的整数（当前为“${p.got}”）。`,
  order: (p) => `--order 只能是 newest（最新在前）或 oldest（最早在前）（当前为“${p.got}”）。`,
  after: (p) => `--after “${p.got}”不是这次搜索给出的翻页位置；请从第一页重新开始（不加 --after）。`,
  'members-which': () => '请说明是哪个群组：tim-backup members 群组ID。',
  'app-has-no-group': (p) => `这个应用中没有群组 ${p.list}。“tim-backup groups”会列出所有群组。`,
  'media-args': (p) => `“tim-backup media”列出缺少的媒体文件；“tim-backup media retry”重新下载它们（当前为“${p.got}”）。`,
  lookback: (p) => `--lookback 必须是整数，表示消息条数（当前为“${p.got}”）。`,
  'profile-age': (p) => `--profile-age 必须是一个小时数（当前为“${p.got}”）。`,
  'retry-run': (p) => `--retry 需要一次备份的编号，即“tim-backup history”列出的编号（当前为“${p.got}”）。`,
  'retry-no-groups': () => '--retry 会备份那次备份未完成的群组：请不要同时指定群组。',
  'see-history': () => '“tim-backup history”会列出所有备份。',
  format: (p) => `--format 只能是 ${choices(p, '、')} 之一（当前为“${p.got}”）。`,
  'out-folder': () => '请说明导出到哪个文件夹：--out 文件夹。',
  'out-file': () => '请说明导出到哪里：--out 文件。',
  'stdout-json': () => '--out - 会把导出内容写到标准输出，因此不能同时使用 --json。要得到 JSON 摘要，请导出到文件。',
  names: (p) => `--names 只能是 ${choices(p, '、')} 之一（当前为“${p.got}”）。`,
  'export-media': (p) => `导出时 --media 只能是 copy（包含已保存的媒体文件）或 none（不包含）（当前为“${p.got}”）。`,
  lang: (p) => `--lang 只能是 ${choices(p, '、')} 之一（当前为“${p.got}”）。`,
} satisfies Sentences<UsageId, UsageParams>;

export const USAGE: Tables<UsageId, UsageParams> = { en: USAGE_EN, 'zh-CN': USAGE_ZH };

export class UsageError extends SaidError {
  constructor(
    said: Said,
    /** The stable name for scripts (--json). */
    readonly code: 'usage' | 'nothing-to-search' = 'usage',
  ) {
    super(said);
  }
}

/** The usage mistake `id`, in every language. */
export function usage(id: UsageId, p: UsageParams = {}): UsageError {
  return new UsageError(sayAll(USAGE, id, p));
}

/** What node:util's parseArgs threw, as a usage mistake: an unknown option, or one missing (or refusing) its value. */
export function commandLineMistake(err: unknown): UsageError {
  const detail = err instanceof Error ? err.message : String(err);
  const flag = /'([^' ]+)/u.exec(detail)?.[1] ?? '';
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  return usage(code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? 'unknown-option' : 'bad-option', { flag, detail });
}

/** Another module's error, worded in every language, as a usage mistake; `then` adds what to do on the command line. */
export function usageFrom(err: { readonly said: Said }, then?: UsageId): UsageError {
  return new UsageError(then ? joinSaid(err.said, sayAll(USAGE, then, {})) : err.said);
}
