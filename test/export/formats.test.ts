// JSONL, CSV and TXT: JSONL is the archive's rows byte for byte, CSV parses back (RFC 4180) to the rows and is
// safe in a spreadsheet, TXT reads as a transcript that states coverage and filters; all honour the same filter.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Archive, rowsOf as sqlRows } from '../../app/archive';
import { exportArchive, OutputError } from '../../app/export';
import { csvField } from '../../app/export/csv';
import { visibleText } from '../../app/export/visible';
import type { GroupMsg } from '../../app/im/wire';
import { mediaRefsOf } from '../../app/media/model';
import type { MessageFilter } from '../../app/search/filter';
import { HOSTILE_GROUP, fillHostile } from './hostile';
import { tempArchive, tempDir } from './helpers';

let archive: Archive;
let dir: string;

beforeAll(async () => {
  ({ archive } = await tempArchive([
    { groupId: '@TGS#one', name: '产品讨论群', messages: 400, seed: 3 },
    { groupId: '@TGS#two', messages: 150, seed: 4 },
  ]));
  fillHostile(archive);
  dir = await tempDir();
});

interface Row {
  group: string;
  seq: number;
  time: number;
  sender: string;
  state: number;
  kinds: number;
  isSystem: number;
  text: string;
  raw: string;
  name: string | null;
}

/** The archive's rows a filter selects, straight from SQL, as the oracle for every format. */
function rowsOf(where = 'TRUE', params: (string | number)[] = []): Row[] {
  const rows = sqlRows(
    archive.db,
    `SELECT g.group_id, m.seq, m.time, m.sender, m.state, m.kinds, m.is_system, m.text, m.raw,
       coalesce(nullif(trim(mb.name_card), ''), nullif(trim(p.nick), ''))
     FROM messages m JOIN groups g USING (gid)
     LEFT JOIN members mb ON mb.gid = m.gid AND mb.account = m.sender
     LEFT JOIN profiles p ON p.sdkappid = g.sdkappid AND p.account = m.sender
     WHERE ${where} ORDER BY g.sdkappid, g.group_id, m.seq`,
    ...params,
  );
  return rows.map(([group, seq, time, sender, state, kinds, isSystem, text, raw, name]) => ({
    group: String(group),
    seq: Number(seq),
    time: Number(time),
    sender: String(sender),
    state: Number(state),
    kinds: Number(kinds),
    isSystem: Number(isSystem),
    text: String(text),
    raw: String(raw),
    name: name === null ? null : String(name),
  }));
}

/** A strict RFC 4180 parser, independent of the exporter: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      if (i < text.length && text[i] !== ',' && text.slice(i, i + 2) !== '\r\n') throw new Error(`junk after a quoted field at ${i}`);
    } else {
      while (i < text.length && text[i] !== ',' && text.slice(i, i + 2) !== '\r\n') {
        if (text[i] === '"' || text[i] === '\n' || text[i] === '\r') throw new Error(`unquoted special character at ${i}`);
        field += text[i++];
      }
    }
    record.push(field);
    field = '';
    if (text[i] === ',') i++;
    else {
      records.push(record);
      record = [];
      i += 2;
    }
  }
  return records;
}

async function run(format: 'jsonl' | 'csv' | 'txt', filter: MessageFilter = {}, name: string = format): Promise<{ text: string; messages: number }> {
  const out = join(dir, `${name}.${format}`);
  const result = await exportArchive(archive, { format, out, filter, lang: 'en', timeZone: 'UTC' });
  return { text: await readFile(out, 'utf8'), messages: result.messages };
}

describe('JSONL', () => {
  it('round-trips to the archive rows exactly, with GroupId and the display name (SenderName) added', async () => {
    const { text, messages } = await run('jsonl');
    const rows = rowsOf();
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(rows.length);
    expect(messages).toBe(rows.length);
    lines.forEach((line, i) => {
      const { GroupId, SenderName, Media, ...msg } = JSON.parse(line) as Record<string, unknown>;
      expect(GroupId).toBe(rows[i]!.group);
      // This archive has no media stored: every rendition the message carries is listed as not downloaded yet.
      const refs = mediaRefsOf(JSON.parse(rows[i]!.raw) as GroupMsg);
      expect(Media).toEqual(refs.length ? refs.map((r) => ({ Key: r.key, State: 'pending', Size: r.declaredSize })) : undefined);
      expect(SenderName).toBe(rows[i]!.name ?? undefined);
      expect(JSON.stringify(msg)).toBe(rows[i]!.raw);
      expect(msg).toEqual(JSON.parse(rows[i]!.raw));
    });
  });
});

describe('CSV', () => {
  it('parses back to one row per message with the archive\'s values (formula cells neutralized)', async () => {
    const { text } = await run('csv');
    expect(text.startsWith('\ufeffgroup,seq,time,sender,display_name,kind,text,media\r\n')).toBe(true);
    const [header, ...records] = parseCsv(text.slice(1));
    expect(header).toEqual(['group', 'seq', 'time', 'sender', 'display_name', 'kind', 'text', 'media']);
    const rows = rowsOf();
    expect(records).toHaveLength(rows.length);
    const neutral = (s: string) => {
      const v = visibleText(s);
      return /^[=+\-@\t]/u.test(v) ? `'${v}` : v;
    };
    records.forEach((rec, i) => {
      const r = rows[i]!;
      expect(rec).toEqual([neutral(r.group), String(r.seq), new Date(r.time * 1000).toISOString().replace('.000Z', '+00:00'), neutral(r.sender), neutral(r.name ?? r.sender), rec[5], neutral(r.text), rec[7]]);
      // Nothing stored: each file of the message is named by its state.
      const files = mediaRefsOf(JSON.parse(r.raw) as GroupMsg).filter((m) => ['original', 'file', 'sound', 'video'].includes(m.rendition));
      expect(rec[7]).toBe(neutral(files.map((m) => (m.fileName ? `${m.fileName}: (pending)` : '(pending)')).join('\n')));
      expect(rec[5]!.split(' ').includes('recalled')).toBe(r.state === 2);
      expect(rec[5]!.split(' ').includes('system')).toBe(r.isSystem === 1);
    });
    // The hostile group's texts contain every kind of line break, quotes and commas: all survived.
    expect(records.some((r) => r[6]!.includes('\n') && r[6]!.includes('"'))).toBe(true);
  });

  it('neutralizes cells a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("http://evil.invalid","x")')).toBe(`"'=HYPERLINK(""http://evil.invalid"",""x"")"`);
    expect(csvField('+1+2')).toBe("'+1+2");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('a=1')).toBe('a=1');
    expect(csvField('plain, with comma')).toBe('"plain, with comma"');
    expect(csvField('中文')).toBe('中文');
  });
});

describe('TXT', () => {
  it('reads as a transcript: coverage first, day lines, "time  sender  #Seq" and every message', async () => {
    const { text, messages } = await run('txt', { groupIds: ['@TGS#one'] });
    const rows = rowsOf("g.group_id = '@TGS#one'");
    expect(messages).toBe(rows.length);
    expect(text).toContain('Chat transcript: 产品讨论群 (@TGS#one)');
    expect(text).toContain('Complete: every message of this group is archived.');
    expect(text).toMatch(/ {2}Messages archived: [\d,]+\n {4}with their content: [\d,]+\n {4}recalled by the sender: \d+/u);
    expect(text).toMatch(/\n--- \w+day, \w+ \d+, 2024 ---\n/u);
    const heads = [...text.matchAll(/^\d\d:\d\d {2}.+ {2}#(\d+)$/gmu)].map((m) => Number(m[1]));
    expect(heads).toEqual(rows.map((r) => r.seq));
    expect(text).toContain('(Recalled by the sender — the backup kept the original below)');
  });

  it('shows hostile text as text, with control characters made visible', async () => {
    const { text } = await run('txt', { groupIds: [HOSTILE_GROUP] }, 'hostile');
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).toContain('nul␀ bell␇ escape␛[31m red');
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/u);
    expect(text).toContain('broken \ufffd surrogate \ufffd and half an emoji \ufffd');
  });
});

describe('the same filter in every format', () => {
  it('selects exactly the rows the filter names', async () => {
    const busiest = sqlRows(archive.db, "SELECT sender FROM messages WHERE sender != '' GROUP BY sender ORDER BY count(*) DESC, sender LIMIT 2").map((v) => String(v[0]));
    const [a, b] = busiest as [string, string];
    const filter: MessageFilter = { senders: [a, b, 'nobody'], since: 1_714_600_000, until: 1_717_000_000, kinds: ['text', 'image', 'recalled'] };
    const expected = rowsOf('m.sender IN (?, ?, ?) AND m.time >= ? AND m.time < ? AND ((m.kinds & 3) != 0 OR m.state = 2)', [a, b, 'nobody', 1_714_600_000, 1_717_000_000]);
    expect(expected.length).toBeGreaterThan(5);
    const jsonl = await run('jsonl', filter, 'f');
    expect(jsonl.text.trim().split('\n').map((l) => (JSON.parse(l) as { MsgSeq: number }).MsgSeq)).toEqual(expected.map((r) => r.seq));
    const csv = await run('csv', filter, 'f');
    expect(parseCsv(csv.text.slice(1)).slice(1).map((r) => Number(r[1]))).toEqual(expected.map((r) => r.seq));
    const txt = await run('txt', filter, 'f');
    expect(txt.messages).toBe(expected.length);
    expect(txt.text).toContain('Filtered export: only the messages that match the filter are included. This is not the full history.');
    expect(txt.text).not.toContain('Complete:');
    expect(txt.text).toContain(`Senders: ${visibleText(a)}, ${visibleText(b)}, nobody`);
    expect(txt.text).toContain('Kinds: text, image, recalled');
  });

  it('says why a file cannot be written, in words for the app as much as the CLI (no command-line flag)', async () => {
    const out = join(dir, 'no-such-folder', 'x.csv');
    const missing = exportArchive(archive, { format: 'csv', out });
    await expect(missing).rejects.toThrow(`Cannot write ${out}: its folder ${join(dir, 'no-such-folder')} does not exist. Create the folder first, or change the destination.`);
    await expect(missing).rejects.toBeInstanceOf(OutputError);
    const folder = exportArchive(archive, { format: 'txt', out: dir });
    await expect(folder).rejects.toThrow(`Cannot write ${dir}: it is a folder, and this format writes one file. Add a file name to the destination.`);
    await expect(folder).rejects.not.toThrow(/--out/u);
  });

  it('refuses a group the archive does not hold, and leaves no file behind', async () => {
    await expect(run('csv', { groupIds: ['@TGS#nope'] }, 'nope')).rejects.toThrow('The archive has no group "@TGS#nope"');
    await expect(readFile(join(dir, 'nope.csv'))).rejects.toThrow(/ENOENT/u);
  });
});
