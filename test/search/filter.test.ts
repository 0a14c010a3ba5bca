// The shared message filter: SQL with placeholders only, kinds, and dates as people type them.

import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../app/archive';
import { FilterError, filterFromInput, filterWhere, parseDate, parseKinds } from '../../app/search/filter';

describe('filterWhere', () => {
  it('puts every value in a parameter, never in the SQL text', () => {
    const hostile = "x'); DROP TABLE messages; --";
    const w = filterWhere({ groupIds: [hostile, 'g2'], senders: [hostile], since: 10, until: 20, kinds: ['image', 'file', 'recalled', 'system'] }, 'm');
    expect(w.sql).not.toContain('DROP');
    expect(w.sql).not.toMatch(/'|\d{2}/u);
    expect(w.params).toEqual([hostile, 'g2', hostile, 10, 20, 2 | 4]);
    expect(filterWhere({}, 'm')).toEqual({ sql: 'TRUE', params: [] });
    expect(() => filterWhere({}, 'm; DROP')).toThrow(/identifier/u);
  });

  it('selects the rows it describes', () => {
    const db = new DatabaseSync(':memory:');
    db.exec(`CREATE TABLE groups (gid INTEGER PRIMARY KEY, group_id TEXT);
      CREATE TABLE messages (id INTEGER PRIMARY KEY, gid INT, sender TEXT, time INT, kinds INT, is_system INT, state INT);
      INSERT INTO groups VALUES (1, 'a'), (2, 'b');
      INSERT INTO messages VALUES (1, 1, 'u1', 100, 1, 0, 0), (2, 1, 'u2', 200, 2, 0, 0), (3, 2, 'u1', 300, 512, 1, 0),
        (4, 2, 'u2', 400, 1, 0, 2), (5, 2, 'u3', 500, 0, 0, 1), (6, 1, 'u1', 600, 8 | 1, 0, 7)`);
    const ids = (f: Parameters<typeof filterWhere>[0]) => {
      const w = filterWhere(f, 'x');
      return rowsOf(db, `SELECT id FROM messages x WHERE ${w.sql} ORDER BY id`, ...w.params).map((r) => r[0]);
    };
    expect(ids({})).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ids({ groupIds: ['b'] })).toEqual([3, 4, 5]);
    expect(ids({ groupIds: ['nope'] })).toEqual([]);
    expect(ids({ senders: ['u1', 'u3'] })).toEqual([1, 3, 5, 6]);
    expect(ids({ since: 200, until: 500 })).toEqual([2, 3, 4]);
    expect(ids({ kinds: ['text'] })).toEqual([1, 4, 6]);
    expect(ids({ kinds: ['voice', 'image'] })).toEqual([2, 6]);
    expect(ids({ kinds: ['system'] })).toEqual([3]);
    expect(ids({ kinds: ['recalled'] })).toEqual([4]);
    expect(ids({ kinds: ['deleted'] })).toEqual([5, 6]);
    expect(ids({ kinds: ['text'], groupIds: ['a'], senders: ['u1'], until: 600 })).toEqual([1]);
    db.close();
  });
});

describe('parseKinds', () => {
  it('accepts repeated and comma-separated names in any case, sound for voice', () => {
    expect(parseKinds(['Image,file', 'sound', ' text ', 'image'])).toEqual(['image', 'file', 'voice', 'text']);
    expect(() => parseKinds(['gif'])).toThrow(FilterError);
    expect(() => parseKinds(['gif'])).toThrow(/"gif" is not a message kind\. Use one or more of: text, image/u);
  });
});

describe('parseDate', () => {
  it('reads a local day as from its start (since) or through its end (until)', () => {
    const since = parseDate('2024-05-01', 'since');
    expect(since).toBe(new Date(2024, 4, 1).getTime() / 1000);
    expect(parseDate('2024-05-01', 'until')).toBe(new Date(2024, 4, 2).getTime() / 1000);
  });

  it('reads ISO 8601 instants with Z, offsets or local time, rounding fractions up', () => {
    expect(parseDate('2024-05-01T10:30:00Z', 'since')).toBe(Date.UTC(2024, 4, 1, 10, 30) / 1000);
    expect(parseDate('2024-05-01T18:30+08:00', 'until')).toBe(Date.UTC(2024, 4, 1, 10, 30) / 1000);
    expect(parseDate('2024-05-01 18:30:00-0530', 'since')).toBe(Date.UTC(2024, 4, 2, 0, 0) / 1000);
    expect(parseDate('2024-05-01T10:30:00.250Z', 'since')).toBe(Date.UTC(2024, 4, 1, 10, 30, 1) / 1000);
    expect(parseDate('2024-05-01T18:30', 'since')).toBe(new Date(2024, 4, 1, 18, 30).getTime() / 1000);
  });

  it('rejects anything else with a message that says what to type', () => {
    for (const bad of ['', 'yesterday', '2024-5-1', '2024-02-30', '2023-02-29', '2024-13-01', '2024-05-01T24:00', '2024-05-01T10:61', '2024-05-01T10:00+19:00', '1969-12-31', '1714550400']) {
      expect(() => parseDate(bad, 'since'), bad).toThrow(FilterError);
    }
    expect(() => parseDate('soon', 'until')).toThrow(/--until "soon" is not a date\. Use YYYY-MM-DD .* or ISO 8601/u);
    expect(parseDate('2024-02-29', 'since')).toBe(new Date(2024, 1, 29).getTime() / 1000);
  });
});

describe('filterFromInput', () => {
  it('builds a filter from typed values and refuses an empty time range', () => {
    expect(filterFromInput({ group: ['g'], from: ['u'], since: '2024-05-01T00:00Z', until: '2024-05-02T00:00Z', kind: ['file'] })).toEqual({
      groupIds: ['g'],
      senders: ['u'],
      since: Date.UTC(2024, 4, 1) / 1000,
      until: Date.UTC(2024, 4, 2) / 1000,
      kinds: ['file'],
    });
    expect(filterFromInput({ group: [], from: [] })).toEqual({});
    expect(() => filterFromInput({ since: '2024-05-02', until: '2024-05-01' })).toThrow(/is not before --until/u);
  });
});
