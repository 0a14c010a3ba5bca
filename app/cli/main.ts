// tim-backup: the headless face of the product. Every command prints human text by default and
// machine-readable JSON on stdout with --json; exit codes are in ./exit.

import { parseArgs } from 'node:util';
import pkg from '../../package.json' with { type: 'json' };
import { backupCommand } from './commands/backup';
import { estimateCommand } from './commands/estimate';
import { exportCommand } from './commands/export';
import { groupsCommand } from './commands/groups';
import { membersCommand } from './commands/members';
import { mediaCommand } from './commands/media';
import { historyCommand } from './commands/history';
import { searchArgv, searchCommand } from './commands/search';
import { statusCommand } from './commands/status';
import { verifyCommand } from './commands/verify';
import { EXIT } from './exit';
import { failureOf } from './failure';
import { printFailure } from './output';
import { commandLineMistake, usage } from './usage';
import { cliLang } from './words';

const HELP = `tim-backup — back up Tencent Cloud IM group history into a local archive

Usage:
  tim-backup --version                           which version this is
  tim-backup groups                              list the app's groups
  tim-backup backup [GROUP_ID…] [--rate N]       back up groups (default: every group that keeps history)
  tim-backup backup --retry RUN                  back up again the groups run RUN left unfinished
  tim-backup estimate [GROUP_ID…] [--rate N]     what a backup would fetch, how long it takes, how much disk
  tim-backup status [--group ID] [--retention DAYS]
                                                 what the archive holds per group, its last backup, and when
                                                 the next one is due before Tencent deletes messages
  tim-backup history [--limit N]                 the backups run into the archive, newest first
  tim-backup media [--failed]                    images, files, voice messages and videos not in the archive, and why
  tim-backup media retry                         download the media still waiting or failed (no backup needed)
  tim-backup members GROUP_ID                    who is in a group: names, roles, messages, who left, earlier names
  tim-backup export --format html|jsonl|csv|txt --out PATH [--force] [--group ID…] [--since DATE]
                   [--until DATE] [--from USER…] [--kind K…] [--lang zh-CN|en] [--names card|nick|account|as-sent]
                   [--media copy|none]
                                                 PATH is a folder for html, one file for the others
                                                 (- for standard output); replaces an existing
                                                 file only with --force, never the archive
  tim-backup verify [--quick]                     check every page of the archive and every message's checksum (works during a backup)
  tim-backup search QUERY [--group ID…] [--from USER…] [--since DATE] [--until DATE] [--kind K…]
                   [--limit N] [--order newest|oldest] [--after CURSOR]
                                                 search the archive: words match as prefixes, Chinese and
                                                 emoji as exact substrings, "quoted phrases", -word excludes

Options:
  --archive PATH     archive file (or TIM_ARCHIVE; default ./tim-archive.sqlite)
  --region NAME      china, singapore, seoul, tokyo, frankfurt, mumbai, silicon-valley, jakarta
                     (or TIM_ENDPOINT=<base URL>, e.g. a proxy or the local emulator)
  --rate N           requests per second for this app, 1–200 (default 180)
  --retention DAYS   how long your plan keeps history at Tencent: 7, 30, 90 or more (or TIM_RETENTION_DAYS;
                     default 7, the shortest plan)
  --lookback N       how many of the newest archived messages are read again to catch recent recalls (default 100)
  --since, --until DATE   YYYY-MM-DD (a local day, --until inclusive) or ISO 8601 (2024-05-01T18:30+08:00)
  --from USER        only messages from this account, or from whoever had this group card or nickname
                     (repeatable; a name several people had lists them)
  --names CHOICE     how exports name senders: card (group card, else nickname, else account; default),
                     nick, account, or as-sent (the card or nickname they had when the message was sent)
  --media copy|none  export: copy the stored images, voice messages, videos and files the transcript shows
                     into it (default; hard links on the archive's drive), or leave them out (named by sha256)
  --profile-age H    backup: read again profiles (nickname, avatar) and member lists older than H hours
                     (default 24; a member list also when its member count changed)
  --media all|thumbnails|none
                     backup: which media to download beside the messages (default all); none records them only
  --max-file-size SIZE   larger media files are listed, not downloaded (default 200MB)
  --disk-floor SIZE  media downloads pause while the drive has less free space (default 1GB); messages go on
  --media-bandwidth SIZE   cap media downloads at SIZE per second (default: no cap)
  --kind K           text, image, file, voice, video, location, custom, system, recalled, deleted (repeatable)
  --lang zh-CN|en    language of html and txt transcripts, of errors, and of what media, status and backup say
                     (default: the system locale); times use TZ
  --force            export: replace an existing file (never the archive or its own files)
  --json             machine-readable output on stdout, failures included ({"error": {code, message}})

Exit codes: 0 done, 1 failed, 2 bad usage, 3 finished with gaps (some messages could not be fetched or a
group was skipped: back up again, or --retry the run), 130 cancelled.

Credentials come from the environment: TIM_SDKAPPID, TIM_ADMIN (an App admin), TIM_SECRET_KEY —
or from a profile saved in the desktop app: --profile NAME (its settings and archive; the key from the
system keychain).`;

/** Every flag of every command; the search command's query words may start with "-" (see searchArgv). */
const OPTIONS = {
  archive: { type: 'string' },
  profile: { type: 'string' },
  region: { type: 'string' },
  json: { type: 'boolean', default: false },
  rate: { type: 'string' },
  lookback: { type: 'string' },
  'profile-age': { type: 'string' },
  names: { type: 'string' },
  media: { type: 'string' },
  group: { type: 'string', multiple: true },
  format: { type: 'string' },
  out: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  from: { type: 'string', multiple: true },
  kind: { type: 'string', multiple: true },
  lang: { type: 'string' },
  limit: { type: 'string' },
  order: { type: 'string' },
  after: { type: 'string' },
  quick: { type: 'boolean', default: false },
  retention: { type: 'string' },
  retry: { type: 'string' },
  'max-file-size': { type: 'string' },
  'disk-floor': { type: 'string' },
  'media-bandwidth': { type: 'string' },
  failed: { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const;

export interface StartedAs {
  /** Run from the TypeScript sources (bin/tim-backup.js found no current bundle): said by --version. */
  fromSource?: boolean;
}

export async function main(argv: string[], startedAs: StartedAs = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: searchArgv(argv, OPTIONS) ?? argv,
      allowPositionals: true,
      options: OPTIONS,
    });
  } catch (err) {
    const mistake = commandLineMistake(err);
    // --json was asked for even if the line around it is wrong: answer in kind.
    if (argv.includes('--json')) return printFailure(failureOf(mistake, cliLang()), true, cliLang());
    process.stderr.write(`${mistake.said[cliLang()]}\n\n${HELP}\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.version) {
    process.stdout.write(`tim-backup ${pkg.version}${startedAs.fromSource ? ' (from the TypeScript sources)' : ''}\n`);
    return EXIT.ok;
  }
  if (values.help || !command) {
    process.stdout.write(`${HELP}\n`);
    return command || values.help ? EXIT.ok : EXIT.usage;
  }
  try {
    switch (command) {
      case 'groups':
        return await groupsCommand(values);
      case 'backup':
        return await backupCommand(values, rest);
      case 'status':
        return await statusCommand(values);
      case 'members':
        return await membersCommand(values, rest);
      case 'history':
        return await historyCommand(values);
      case 'estimate':
        return await estimateCommand(values, rest);
      case 'export':
        return await exportCommand(values);
      case 'search':
        return await searchCommand(values, rest);
      case 'verify':
        return await verifyCommand(values);
      case 'media':
        return await mediaCommand(values, rest);
      default:
        throw usage('unknown-command', { got: command, choices: ['groups', 'backup', 'estimate', 'status', 'history', 'members', 'export', 'search', 'verify', 'media'] });
    }
  } catch (err) {
    const lang = cliLang(values.lang);
    return printFailure(failureOf(err, lang), values.json, lang);
  }
}
