// The archive's schema, as an ordered list of migrations. Migration i (0-based) takes a database from
// PRAGMA user_version i to i + 1 inside one transaction, so a failing migration leaves the previous version.
// Never edit a shipped migration: append a new one. The tables are documented in ./README.md.

import { UNSUMMED_INDEX } from './checksum';
import { MESSAGE_FTS, rebuildFts, startPairs } from './fts';
import { ID_DAY, nextSlot, preferredId } from './ids';
import { type Db, rowsOf } from './sqlite';

/** PRAGMA application_id of every archive: "TIMB". A SQLite file without it is not ours. */
export const APPLICATION_ID = 0x54494d42;

export interface Migration {
  readonly name: string;
  readonly up: (db: Db) => void;
}

const v1: Migration = {
  name: 'initial schema',
  up: (db) => {
    db.exec(`
      PRAGMA application_id = ${APPLICATION_ID};
      CREATE TABLE groups (
        gid INTEGER PRIMARY KEY,
        sdkappid INTEGER NOT NULL,
        group_id TEXT NOT NULL,
        topic_id TEXT NOT NULL DEFAULT '',
        type TEXT,
        name TEXT,
        info TEXT,
        newest_seq INTEGER,
        info_at INTEGER,
        UNIQUE (sdkappid, group_id, topic_id)
      );
      CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        gid INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        state INTEGER NOT NULL,
        sender TEXT NOT NULL,
        time INTEGER NOT NULL,
        kinds INTEGER NOT NULL,
        is_system INTEGER NOT NULL,
        text TEXT NOT NULL,
        raw TEXT NOT NULL,
        first_run INTEGER,
        last_run INTEGER,
        UNIQUE (gid, seq)
      );
      CREATE INDEX messages_gid_time ON messages (gid, time);
      CREATE INDEX messages_gid_sender ON messages (gid, sender);
      CREATE TABLE message_changes (
        id INTEGER PRIMARY KEY,
        gid INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        run_id INTEGER,
        at INTEGER NOT NULL,
        from_state INTEGER NOT NULL,
        to_state INTEGER NOT NULL,
        raw TEXT NOT NULL
      );
      CREATE INDEX message_changes_gid_seq ON message_changes (gid, seq);
      CREATE TABLE seq_ranges (
        gid INTEGER NOT NULL,
        lo INTEGER NOT NULL,
        hi INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('covered', 'expired', 'failed')),
        run_id INTEGER,
        at INTEGER NOT NULL,
        reason TEXT,
        CHECK (lo <= hi)
      );
      CREATE INDEX seq_ranges_gid_status_lo ON seq_ranges (gid, status, lo);
      CREATE TABLE runs (
        run_id INTEGER PRIMARY KEY,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        outcome TEXT NOT NULL,
        summary TEXT
      );
      CREATE TABLE members (
        gid INTEGER NOT NULL,
        account TEXT NOT NULL,
        name_card TEXT,
        role TEXT,
        join_time INTEGER,
        raw TEXT,
        updated_at INTEGER,
        PRIMARY KEY (gid, account)
      ) WITHOUT ROWID;
      CREATE TABLE profiles (
        sdkappid INTEGER NOT NULL,
        account TEXT NOT NULL,
        nick TEXT,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (sdkappid, account)
      ) WITHOUT ROWID;
      CREATE VIRTUAL TABLE message_fts USING fts4(content="", body, tokenize=unicode61 "remove_diacritics=2");
    `);
  },
};

const v2: Migration = {
  name: 'time-major message ids, newest-first full-text index',
  up: (db) => {
    // Ids become time-major (./ids.ts): renumber every row, first out of the way (negated), then into place.
    const rows = rowsOf(db, 'SELECT id, gid, seq, time FROM messages ORDER BY id');
    db.exec('UPDATE messages SET id = -id');
    const update = db.prepare('UPDATE messages SET id = CAST(? AS INTEGER) WHERE id = ?');
    const taken = new Set<number>();
    for (const [id, gid, seq, time] of rows) {
      let next = preferredId(Number(time), Number(gid), Number(seq));
      while (taken.has(next)) next = nextSlot(next);
      taken.add(next);
      update.run(next, -Number(id));
    }
    // The docids changed with the ids, and the index is now ordered newest first.
    db.exec('DROP TABLE message_fts');
    db.exec(MESSAGE_FTS);
    rebuildFts(db);
  },
};

const v3: Migration = {
  name: 'archive notes',
  up: (db) => {
    // Small facts about the archive itself, kept with it (e.g. that its owner was told it cannot use a
    // write-ahead log on its drive).
    db.exec('CREATE TABLE notes (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID');
  },
};

const v4: Migration = {
  name: 'emoji and other symbols in the full-text index',
  up: (db) => {
    // indexForm() now writes each symbol as a token of its own (app/search/normalize.ts): the index of messages
    // archived before would never find them.
    rebuildFts(db);
    db.exec("INSERT INTO message_fts (message_fts) VALUES ('optimize')");
  },
};

const v5: Migration = {
  name: 'people: name history, departures, avatars',
  up: (db) => {
    // Names change and a record must show the name a message was sent under: every value a person's card, role,
    // nick or avatar URL had is kept with when it was first and last seen (gid 0 for the app-wide profile
    // fields). members keeps when each member was first and last listed, and when a listing first lacked them.
    db.exec(`
      ALTER TABLE members ADD COLUMN first_seen INTEGER;
      ALTER TABLE members ADD COLUMN last_seen INTEGER;
      ALTER TABLE members ADD COLUMN left_at INTEGER;
      ALTER TABLE profiles ADD COLUMN image TEXT;
      ALTER TABLE profiles ADD COLUMN result_code INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE people_history (
        id INTEGER PRIMARY KEY,
        sdkappid INTEGER NOT NULL,
        gid INTEGER NOT NULL,
        account TEXT NOT NULL,
        field TEXT NOT NULL CHECK (field IN ('card', 'role', 'nick', 'avatar')),
        value TEXT NOT NULL,
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        CHECK (first_seen <= last_seen)
      );
      CREATE INDEX people_history_person ON people_history (sdkappid, account, gid, field, first_seen);
      UPDATE members SET first_seen = coalesce(updated_at, 0), last_seen = coalesce(updated_at, 0);
      INSERT INTO people_history (sdkappid, gid, account, field, value, first_seen, last_seen)
        SELECT g.sdkappid, m.gid, m.account, 'card', m.name_card, m.first_seen, m.first_seen
        FROM members m JOIN groups g ON g.gid = m.gid WHERE m.name_card IS NOT NULL;
      INSERT INTO people_history (sdkappid, gid, account, field, value, first_seen, last_seen)
        SELECT g.sdkappid, m.gid, m.account, 'role', m.role, m.first_seen, m.first_seen
        FROM members m JOIN groups g ON g.gid = m.gid WHERE m.role IS NOT NULL;
      INSERT INTO people_history (sdkappid, gid, account, field, value, first_seen, last_seen)
        SELECT sdkappid, 0, account, 'nick', nick, updated_at, updated_at FROM profiles WHERE nick IS NOT NULL;
    `);
  },
};

const v6: Migration = {
  name: 'run history: trigger, retries, per-group results',
  up: (db) => {
    // Each group's part in each run, so that "the last backup of this group" and "what failed in run N" are one
    // indexed lookup instead of a scan of every run's summary. Runs recorded before this version are read back
    // from their summaries where the group is unambiguous (an archive of one app: always).
    db.exec(`
      ALTER TABLE runs ADD COLUMN trigger TEXT;
      ALTER TABLE runs ADD COLUMN retry_of INTEGER;
      CREATE TABLE run_groups (
        gid INTEGER NOT NULL,
        run_id INTEGER NOT NULL,
        state TEXT NOT NULL,
        new_messages INTEGER NOT NULL,
        failed_seqs INTEGER NOT NULL,
        reason TEXT,
        PRIMARY KEY (gid, run_id)
      ) WITHOUT ROWID;
      CREATE INDEX run_groups_run ON run_groups (run_id);
      INSERT OR IGNORE INTO run_groups (gid, run_id, state, new_messages, failed_seqs, reason)
        SELECT g.gid, r.run_id, json_extract(e.value, '$.state'), coalesce(json_extract(e.value, '$.messagesStored'), 0),
          (SELECT coalesce(sum(json_extract(f.value, '$.hi') - json_extract(f.value, '$.lo') + 1), 0) FROM json_each(e.value, '$.failedRanges') f),
          json_extract(e.value, '$.reason')
        FROM runs r, json_each(r.summary, '$.groups') e
        JOIN groups g ON g.group_id = json_extract(e.value, '$.groupId') AND g.topic_id = coalesce(json_extract(e.value, '$.topicId'), '')
        WHERE json_valid(r.summary) AND json_extract(e.value, '$.state') IS NOT NULL
          AND (SELECT count(*) FROM groups o WHERE o.group_id = g.group_id AND o.topic_id = g.topic_id) = 1;
    `);
  },
};

const v7: Migration = {
  name: 'media store: every rendition of every media element, and which messages use it',
  up: (db) => {
    // One row per rendition (app/media/model.ts: key = UUID + rendition, never the signed URL), its state in the
    // store and why; the bytes live beside the archive by sha256. message_media says which messages show it, so
    // a rendition sent in many messages (or forwarded) is fetched once. first_time orders the work oldest first:
    // the oldest media expire at Tencent first.
    db.exec(`
      CREATE TABLE media (
        key TEXT PRIMARY KEY,
        uuid TEXT NOT NULL,
        rendition TEXT NOT NULL,
        kind TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'stored', 'expired', 'failed', 'too-large', 'skipped', 'no-url')),
        url TEXT,
        declared_size INTEGER NOT NULL DEFAULT 0,
        size INTEGER,
        sha256 TEXT,
        mime TEXT,
        file_name TEXT,
        first_gid INTEGER NOT NULL,
        first_seq INTEGER NOT NULL,
        first_time INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        updated_at INTEGER,
        CHECK (state != 'stored' OR sha256 IS NOT NULL)
      );
      CREATE INDEX media_work ON media (state, first_time);
      CREATE INDEX media_group_work ON media (state, first_gid, first_time);
      CREATE INDEX media_sha256 ON media (sha256) WHERE sha256 IS NOT NULL;
      CREATE TABLE message_media (
        gid INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        ord INTEGER NOT NULL,
        key TEXT NOT NULL,
        PRIMARY KEY (gid, seq, ord)
      ) WITHOUT ROWID;
      CREATE INDEX message_media_key ON message_media (key);
    `);
  },
};

const v8: Migration = {
  name: 'senders: a per-group summary, and a sender index by day',
  up: (db) => {
    // The (gid, sender) index put each new message at the end of its sender's run: every commit dirtied a leaf
    // page per active sender, most of what a commit wrote (a backup of 60,000 messages into a 1M archive: 2.9 GB
    // written with it, 1.0 GB without) and a fifth of the CPU a message cost. Keyed by the day first (ids are
    // time-major: id / (2²⁰ · 86400) is the UTC day), new messages land in the few pages of today's entries;
    // a walk of a sender's messages steps day by day (app/search/senders.ts). Who sent in a group, how much and
    // from when to when is kept in `senders` for the people lists: the writer adds what it stored at each commit,
    // one statement per sender (Archive.flushSenders; a trigger per insert cost a fifth of ingest).
    db.exec(`
      CREATE TABLE senders (
        gid INTEGER NOT NULL,
        account TEXT NOT NULL,
        messages INTEGER NOT NULL,
        first_time INTEGER NOT NULL,
        last_time INTEGER NOT NULL,
        PRIMARY KEY (gid, account)
      ) WITHOUT ROWID;
      INSERT INTO senders (gid, account, messages, first_time, last_time)
        SELECT gid, sender, count(*), min(time), max(time) FROM messages GROUP BY gid, sender;
      DROP INDEX messages_gid_sender;
      CREATE INDEX messages_gid_day_sender ON messages (gid, id / ${ID_DAY}, sender);
    `);
  },
};

const v9: Migration = {
  name: 'a checksum on every message row',
  up: (db) => {
    // Damage inside a record passes SQLite's own checks (./checksum.ts says what the sum covers and why). Rows
    // stored before this version get theirs right after it, before the archive opens: what they hold today is
    // all there is to vouch for. Not in this transaction: one UPDATE of every row grew the write-ahead log to
    // the size of the table; fillChecksums sums them a batch per transaction, the partial index marking what is
    // left (so an interrupted fill resumes), and drops the index when done — leaving what this migration always
    // left. A change recorded because a damaged row was replaced from Tencent says so in `cause` ('repaired';
    // NULL: the message read back differently).
    db.exec(`
      ALTER TABLE messages ADD COLUMN checksum INTEGER;
      CREATE INDEX ${UNSUMMED_INDEX} ON messages (id) WHERE checksum IS NULL;
      ALTER TABLE message_changes ADD COLUMN cause TEXT;
    `);
  },
};

const v10: Migration = {
  name: 'avatars in the media store',
  up: (db) => {
    // A person's avatar (a URL in their profile) is downloaded into the media store like a message's pictures;
    // each avatar period of people_history names its media row, whose sha256 is the stored file. Periods recorded
    // before stay without one until the profile is next read (within a day): their URL is all there is to fetch.
    db.exec('ALTER TABLE people_history ADD COLUMN media_key TEXT');
  },
};

const v11: Migration = {
  name: 'pair words of common Chinese characters in the full-text index',
  up: (db) => {
    // indexForm() now adds a word for every two of the most common characters side by side, so a phrase of them
    // reads short doclists (app/search/normalize.ts). Messages indexed before get theirs right after this, a
    // batch per transaction (./fts.ts fillPairs); until then search asks for no pair word. The version stops
    // an older release from indexing rows without them.
    startPairs(db);
  },
};

export const MIGRATIONS: readonly Migration[] = [v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11];

/** The user_version this build writes; a file above it is 'too-new'. */
export const SCHEMA_VERSION = MIGRATIONS.length;

export function pragmaNumber(db: Db, pragma: 'user_version' | 'application_id'): number {
  return Number(rowsOf(db, `PRAGMA ${pragma}`)[0]?.[0] ?? 0);
}

/** Brings the database up to `migrations.length`; returns the version it started from. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  const from = pragmaNumber(db, 'user_version');
  for (let v = from; v < migrations.length; v++) {
    db.exec('BEGIN');
    try {
      migrations[v]!.up(db);
      db.exec(`PRAGMA user_version = ${v + 1}`);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw new Error(`Archive migration ${v + 1} (${migrations[v]!.name}) failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  return from;
}
