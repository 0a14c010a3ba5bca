// The read side of the media store, for everything that shows or exports media (reader, viewer, exports): what
// the archive knows of each rendition a message carries, and where the bytes of a stored one are. Callers only
// ever name a rendition (by its key) or stored content (by its sha256); a path never comes from a caller, and a
// file name from a message is a label only.

import { statSync } from 'node:fs';
import { type Db, arrayStatement, eachRow, type Statement } from '../archive';
import type { GroupMsg } from '../im/wire';
import { type MediaKind, type MediaRef, type MediaState, mediaFilePath, mediaRefsOf, type Rendition } from './model';
import type { MediaCopy } from './types';

export type { MediaCopy } from './types';

/** One rendition of a message's media, with what the message says of it (name, length, dimensions). */
export interface MessageMedia extends MediaCopy {
  uuid: string;
  rendition: Rendition;
  kind: MediaKind;
  fileName?: string;
  seconds?: number;
  width?: number;
  height?: number;
}

/** A stored file, found by its sha256: where it is and what to serve it as. */
export interface StoredFile {
  sha256: string;
  path: string;
  size: number;
  mime: string;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Is this a sha256 as the store names files (64 lowercase hex digits)? */
export function isSha256(value: unknown): value is string {
  return typeof value === 'string' && SHA256.test(value);
}

/**
 * Reads the media table of one archive. A rendition the table does not know (an archive backed up before media
 * were kept, or a message stored a moment ago) reads as pending: not downloaded yet.
 */
export class MediaReader {
  private readonly byKey: Statement;
  private readonly bySha: Statement;
  private readonly ofRange: Statement;

  constructor(
    db: Db,
    /** The archive's file: the store is beside it. */
    private readonly archivePath: string,
  ) {
    this.byKey = arrayStatement(db, 'SELECT state, sha256, size, declared_size, mime FROM media WHERE key = ?');
    this.bySha = arrayStatement(db, "SELECT size, mime FROM media WHERE sha256 = ? AND state = 'stored' LIMIT 1");
    this.ofRange = arrayStatement(
      db,
      `SELECT mm.seq, mm.key, m.state, m.sha256, m.size, m.declared_size, m.mime
         FROM message_media mm LEFT JOIN media m ON m.key = mm.key
        WHERE mm.gid = ? AND mm.seq BETWEEN ? AND ? ORDER BY mm.seq, mm.ord`,
    );
  }

  /** The state of one rendition by its key (`uuid:rendition`). */
  copy(key: string): MediaCopy {
    const [row] = [...eachRow(this.byKey, key)];
    return row ? copyOf(key, row) : { key, state: 'pending', size: 0 };
  }

  /**
   * Every media rendition of a message, in the order of its elements, with its state. `raw` is the message as
   * archived: names, lengths and dimensions are what the message says.
   */
  ofMessage(raw: string): MessageMedia[] {
    return refsOfRaw(raw).map((ref) => withRef(ref, this.copy(ref.key)));
  }

  /**
   * The media of a page of messages (Seqs lo..hi of one group), by Seq, as message_media lists them; each
   * message's own refs (from `raws`) add names, lengths and dimensions.
   */
  ofMessages(gid: number, lo: number, hi: number, raws: ReadonlyMap<number, string>): Map<number, MessageMedia[]> {
    const refs = new Map<number, Map<string, MediaRef>>();
    const out = new Map<number, MessageMedia[]>();
    for (const [seq, key, state, sha256, size, declared, mime] of eachRow(this.ofRange, gid, lo, hi)) {
      const s = Number(seq);
      if (!refs.has(s)) refs.set(s, new Map(refsOfRaw(raws.get(s) ?? '').map((r) => [r.key, r])));
      const k = String(key);
      const ref = refs.get(s)!.get(k) ?? refOfKey(k);
      const copy = state === null ? { key: k, state: 'pending' as const, size: ref.declaredSize } : copyOf(k, [state, sha256, size, declared, mime]);
      out.set(s, [...(out.get(s) ?? []), withRef(ref, copy)]);
    }
    return out;
  }

  /**
   * The file of a stored sha256 of this archive, or undefined: anything that is not a sha256 this archive's
   * media table records as stored, or whose file is missing or not the size recorded, is not served.
   */
  file(sha256: unknown): StoredFile | undefined {
    if (!isSha256(sha256)) return undefined;
    const [row] = [...eachRow(this.bySha, sha256)];
    if (!row) return undefined;
    const path = mediaFilePath(this.archivePath, sha256);
    try {
      const st = statSync(path);
      if (!st.isFile() || (row[0] !== null && st.size !== Number(row[0]))) return undefined;
      return { sha256, path, size: st.size, mime: typeof row[1] === 'string' && row[1] ? row[1] : 'application/octet-stream' };
    } catch {
      return undefined;
    }
  }
}

function copyOf(key: string, [state, sha256, size, declared, mime]: unknown[]): MediaCopy {
  return {
    key,
    state: String(state) as MediaState,
    ...(typeof sha256 === 'string' ? { sha256 } : {}),
    size: size !== null && size !== undefined ? Number(size) : Number(declared ?? 0),
    ...(typeof mime === 'string' && mime ? { mime } : {}),
  };
}

function withRef(ref: MediaRef, copy: MediaCopy): MessageMedia {
  return {
    ...copy,
    uuid: ref.uuid,
    rendition: ref.rendition,
    kind: ref.kind,
    ...(copy.state !== 'stored' && copy.size === 0 && ref.declaredSize ? { size: ref.declaredSize } : {}),
    ...(ref.fileName ? { fileName: ref.fileName } : {}),
    ...(ref.seconds ? { seconds: ref.seconds } : {}),
    ...(ref.width ? { width: ref.width } : {}),
    ...(ref.height ? { height: ref.height } : {}),
  };
}

/** A key message_media lists that the message itself no longer shows (never expected): named by the key alone. */
function refOfKey(key: string): MediaRef {
  const at = key.lastIndexOf(':');
  const rendition = key.slice(at + 1) as Rendition;
  const kind: MediaKind = rendition === 'file' ? 'file' : rendition === 'sound' ? 'sound' : rendition.startsWith('video') ? 'video' : 'image';
  return { key, uuid: key.slice(0, at), rendition, kind, url: undefined, declaredSize: 0 };
}

function refsOfRaw(raw: string): MediaRef[] {
  try {
    return mediaRefsOf(JSON.parse(raw) as GroupMsg);
  } catch {
    return [];
  }
}
