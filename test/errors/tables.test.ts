// Every table of error sentences has a Chinese sentence for each English one (the type check makes sure one
// exists; this makes sure it is a translation and not a copy of the English, and that it reads as Chinese).

import { describe, expect, it } from 'vitest';
import { ARCHIVE_EN, ARCHIVE_WHY_EN, ARCHIVE_WHY_ZH, ARCHIVE_ZH, type ArchiveFacts } from '../../app/archive/errors';
import { USAGE_EN, USAGE_ZH, type UsageParams } from '../../app/cli/usage';
import { RATE_EN, RATE_ZH } from '../../app/engine/pacer';
import { RETRY_EN, RETRY_ZH } from '../../app/engine/retry';
import type { Sentences } from '../../app/errors/said';
import { OUTPUT_EN, OUTPUT_ZH, type OutputFacts } from '../../app/export/output-error';
import { SELECTION_EN, SELECTION_ZH } from '../../app/export/select';
import { MESSAGES_EN, MESSAGES_ZH, type MessageParams } from '../../app/im/messages';
import { PROXY_EN, PROXY_ZH } from '../../app/im/proxy';
import { ENDPOINT_EN, ENDPOINT_ZH, REGIONS } from '../../app/im/regions';
import { KEYCHAIN_EN, KEYCHAIN_ZH } from '../../app/profiles/keychain';
import { SETTINGS_EN, SETTINGS_ZH } from '../../app/profiles/settings';
import { RETENTION_EN, RETENTION_ZH } from '../../app/schedule/deadline';
import { FILTER_EN, FILTER_ZH } from '../../app/search/filter';
import { NOTHING_EN, NOTHING_ZH } from '../../app/search/query';
import { WORKER_EN, WORKER_ZH } from '../../app/worker/errors';

const message: MessageParams = { api: 'group_msg_get_simple', code: 10010, status: 502, network: 'ECONNRESET', info: 'err', host: 'h:1', sdkAppId: 1400000001, identifier: 'admin', timeoutMs: 10_000 };
const usage: UsageParams = { flag: '--rate', got: 'abc', choices: ['a', 'b'], detail: "Unknown option '--x'", count: 2, list: '"g1", "g2"' };
const archive: ArchiveFacts = { path: '/a.sqlite', why: 'not-sqlite', detail: 'SQLITE_IOERR', folder: '/f', lock: '/a.sqlite.lock', appId: 7, version: 9, supported: 8, sqlite: '3.40', holder: { pid: 1, hostname: 'pc', time: 't' } };
const output: OutputFacts = { path: '/out.csv', archive: '/a.sqlite', other: '/o' };

/** [name, English table, Chinese table, the facts every sentence is rendered with]. */
const TABLES: [string, Sentences<string, never>, Sentences<string, never>, unknown][] = [
  ['ImError (app/im/messages.ts)', MESSAGES_EN, MESSAGES_ZH, message],
  ['usage (app/cli/usage.ts)', USAGE_EN, USAGE_ZH, usage],
  ['archive (app/archive/errors.ts)', ARCHIVE_EN, ARCHIVE_ZH, archive],
  ['archive: why (app/archive/errors.ts)', ARCHIVE_WHY_EN, ARCHIVE_WHY_ZH, archive],
  ['request rate (app/engine/pacer.ts)', RATE_EN, RATE_ZH, { got: 'abc' }],
  ['retry a run (app/engine/retry.ts)', RETRY_EN, RETRY_ZH, { runId: 3 }],
  ['groups of an export (app/export/select.ts)', SELECTION_EN, SELECTION_ZH, { list: '"g"' }],
  ['proxy (app/im/proxy.ts)', PROXY_EN, PROXY_ZH, { proxy: 'socks://p:1' }],
  ['endpoint (app/im/regions.ts)', ENDPOINT_EN, ENDPOINT_ZH, { got: 'x', region: REGIONS[0] }],
  ['keychain (app/profiles/keychain.ts)', KEYCHAIN_EN, KEYCHAIN_ZH, { detail: 'no Secret Service' }],
  ['settings (app/profiles/settings.ts)', SETTINGS_EN, SETTINGS_ZH, { file: '/s.json', detail: 'EACCES', name: 'p' }],
  ['retention (app/schedule/deadline.ts)', RETENTION_EN, RETENTION_ZH, { got: 0 }],
  ['filters (app/search/filter.ts)', FILTER_EN, FILTER_ZH, { got: 'x', edge: 'since', kinds: ['text'], since: '2024-05-02', until: '2024-05-01' }],
  ['nothing to search (app/search/query.ts)', NOTHING_EN, NOTHING_ZH, {}],
  ['desktop worker (app/worker/errors.ts)', WORKER_EN, WORKER_ZH, { profile: 'p', groupId: 'g', topicId: 't', detail: 'x' }],
];

const CJK = /[\u4e00-\u9fff]/u;

describe('every English error sentence has a Chinese one that is not a copy', () => {
  it.each(TABLES)('%s', (_name, en, zh, facts) => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const id of Object.keys(en)) {
      const english = (en[id] as (p: unknown) => string)(facts);
      const chinese = (zh[id] as (p: unknown) => string)(facts);
      expect(chinese, id).not.toBe(english);
      expect(chinese, `${id}: ${chinese}`).toMatch(CJK);
    }
  });

  it('export destinations (app/export/output-error.ts), as the CLI and as the window name them', () => {
    expect(Object.keys(OUTPUT_ZH).sort()).toEqual(Object.keys(OUTPUT_EN).sort());
    for (const naming of [{ destination: '--out', force: '--force' }, { destination: '目标位置' }]) {
      for (const code of Object.keys(OUTPUT_EN) as (keyof typeof OUTPUT_EN)[]) {
        const chinese = OUTPUT_ZH[code](output, naming);
        expect(chinese, code).not.toBe(OUTPUT_EN[code](output, naming));
        expect(chinese, code).toMatch(CJK);
      }
    }
  });

  it('Chinese sentences use the console\'s words: 账号 (never 帐号), 归档 for the archive (never 存档)', () => {
    const all = TABLES.flatMap(([, , zh, facts]) => Object.values(zh).map((say) => (say as (p: unknown) => string)(facts)));
    all.push(...Object.values(OUTPUT_ZH).map((say) => say(output, { destination: '目标位置' })));
    for (const text of all) {
      expect(text).not.toMatch(/帐号|存档/u);
      // Full-width punctuation after Chinese text: no ASCII comma or full stop right after a Chinese character.
      expect(text, text).not.toMatch(/[\u4e00-\u9fff][,.](?:\s|$)/u);
    }
  });
});
