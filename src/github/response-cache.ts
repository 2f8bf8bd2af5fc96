import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { messageOf } from '../errors.js';

/** A container manifest as received: content-addressed, so kept for good (forgetAll() leaves it). */
export interface CachedManifest {
  mediaType: string;
  bytes: Buffer;
}

export interface CachedResponse {
  etag: string;
  body: string;
  /** The Link header, so cached pages still paginate. */
  link: string | null;
  storedAt: number;
}

/**
 * What a page's validated items became (worker/read-plan.ts), kept beside the page's ETag so that an
 * unchanged page (a fresh hit, a 304) costs a cache read, not a parse, a validation and a build.
 */
export interface BuiltRows {
  /** The table and its columns they were built for: rows built for another shape are not these. */
  shape: string;
  /** The rows, v8.serialize'd: what the SQL thread takes as they are. */
  packed: Uint8Array;
  /** The rows' key identities, v8.serialize'd, for the list's check for a row seen twice. */
  keys: Uint8Array;
}

/** A stored answer as get() finds it: the body, 200 KB for a page, is read only if asked for (ResponseCache.body). */
export type CachedEntry = Omit<CachedResponse, 'body'>;

/** Visible ASCII and spaces: what an ETag or Link header value can hold. */
const HEADER_VALUE = /^[\x20-\x7e]+$/;

/** The cache directory that is no directory: an in-memory SQLite database. */
export const IN_MEMORY = ':memory:';

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'ghsql');
}

/**
 * GET responses with their ETags, in a SQLite file readable by the user only. Entries are keyed by a
 * hash of the token, never the token itself, so two accounts on one machine never see each other's
 * data and the file holds nothing that authenticates.
 */
export class ResponseCache {
  private readonly db: Database.Database;
  private failed = false;
  private readonly identity: string;
  private readonly select: Database.Statement<[string, string], { etag: string; link: string | null; stored_at: number; body_is_text: number }>;
  private readonly selectBody: Database.Statement<[string, string, string], { body: string }>;
  private readonly upsert: Database.Statement<[string, string, string, string, string | null, number]>;
  private readonly touchStatement: Database.Statement<[number, string, string]>;
  private readonly forgetStatement: Database.Statement<[string]>;
  private readonly selectRows: Database.Statement<[string, string, string, string], { packed: Buffer; keys: Buffer }>;
  private readonly upsertRows: Database.Statement<[string, string, string, string, Buffer, Buffer]>;
  private readonly forgetRowsStatement: Database.Statement<[string]>;
  private readonly selectManifest: Database.Statement<[string, string], { media_type: string; bytes: Buffer }>;
  private readonly insertManifest: Database.Statement<[string, string, string, Buffer, number]>;

  /** `dir` ':memory:' keeps the responses in memory, for as long as the worker runs (the CLI's --demo). */
  constructor(dir: string, token: string) {
    if (dir === IN_MEMORY) {
      this.db = new Database(IN_MEMORY);
    } else {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // The directory is private too: SQLite's -wal and -shm files hold response bodies as well.
      chmodSync(dir, 0o700);
      const file = join(dir, 'responses.sqlite');
      this.db = new Database(file);
      chmodSync(file, 0o600);
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 2000');
    // A cache needs no durability: skip the fsync per write (WAL stays consistent after a crash).
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS responses (
      identity TEXT NOT NULL, url TEXT NOT NULL, etag TEXT NOT NULL, body TEXT NOT NULL, link TEXT,
      stored_at INTEGER NOT NULL, PRIMARY KEY (identity, url))`);
    // Rows belong to the body of one ETag: after another process stores a newer body, they no longer match it.
    this.db.exec(`CREATE TABLE IF NOT EXISTS response_rows (
      identity TEXT NOT NULL, url TEXT NOT NULL, shape TEXT NOT NULL, etag TEXT NOT NULL, packed BLOB NOT NULL,
      keys BLOB NOT NULL, PRIMARY KEY (identity, url, shape))`);
    // Per identity too: whether a token may read a repository is the registry's to say, each time.
    this.db.exec(`CREATE TABLE IF NOT EXISTS manifests (
      identity TEXT NOT NULL, url TEXT NOT NULL, media_type TEXT NOT NULL, bytes BLOB NOT NULL,
      stored_at INTEGER NOT NULL, PRIMARY KEY (identity, url))`);
    this.identity = createHash('sha256').update(`ghsql:${token}`).digest('hex').slice(0, 32);
    this.select = this.db.prepare("SELECT etag, link, stored_at, typeof(body) = 'text' AS body_is_text FROM responses WHERE identity = ? AND url = ?");
    this.selectBody = this.db.prepare('SELECT body FROM responses WHERE identity = ? AND url = ? AND etag = ?');
    this.upsert = this.db.prepare('INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?, ?)');
    this.touchStatement = this.db.prepare('UPDATE responses SET stored_at = ? WHERE identity = ? AND url = ?');
    this.forgetStatement = this.db.prepare('DELETE FROM responses WHERE identity = ?');
    this.selectRows = this.db.prepare('SELECT packed, keys FROM response_rows WHERE identity = ? AND url = ? AND shape = ? AND etag = ?');
    this.upsertRows = this.db.prepare('INSERT OR REPLACE INTO response_rows VALUES (?, ?, ?, ?, ?, ?)');
    this.forgetRowsStatement = this.db.prepare('DELETE FROM response_rows WHERE identity = ?');
    this.selectManifest = this.db.prepare('SELECT media_type, bytes FROM manifests WHERE identity = ? AND url = ?');
    this.insertManifest = this.db.prepare('INSERT OR REPLACE INTO manifests VALUES (?, ?, ?, ?, ?)');
  }

  get(url: string): CachedEntry | undefined {
    const row = this.guard(() => this.select.get(this.identity, url));
    // The file is shared and may be damaged: an ETag that is not a header value would make fetch fail
    // every revalidation, so such an entry is a miss (and is replaced by the next stored answer).
    if (!row || !HEADER_VALUE.test(row.etag) || row.body_is_text !== 1 || (row.link !== null && !HEADER_VALUE.test(row.link))) return undefined;
    return { etag: row.etag, link: row.link, storedAt: row.stored_at };
  }

  /** The body stored with `etag`; undefined when the entry has since been replaced (by another process) or dropped. */
  body(url: string, etag: string): string | undefined {
    return this.guard(() => this.selectBody.get(this.identity, url, etag))?.body;
  }

  put(url: string, response: CachedResponse): void {
    this.guard(() => this.upsert.run(this.identity, url, response.etag, response.body, response.link, response.storedAt));
  }

  /** Marks a revalidated (304) entry fresh again. */
  touch(url: string, now: number): void {
    this.guard(() => this.touchStatement.run(now, this.identity, url));
  }

  /** The rows built from the body stored with `etag`, for `shape`; undefined when none were stored for that body. */
  getRows(url: string, shape: string, etag: string): BuiltRows | undefined {
    const row = this.guard(() => this.selectRows.get(this.identity, url, shape, etag));
    return row && Buffer.isBuffer(row.packed) && Buffer.isBuffer(row.keys) ? { shape, packed: row.packed, keys: row.keys } : undefined;
  }

  /** Stores rows built from the body stored with `etag` (call it only for rows that validated). */
  putRows(url: string, etag: string, rows: BuiltRows): void {
    this.guard(() => this.upsertRows.run(this.identity, url, rows.shape, etag, Buffer.from(rows.packed.buffer, rows.packed.byteOffset, rows.packed.byteLength), Buffer.from(rows.keys.buffer, rows.keys.byteOffset, rows.keys.byteLength)));
  }

  /** A manifest by its URL, which names its digest; the caller checks the bytes against it (the file may be damaged). */
  getManifest(url: string): CachedManifest | undefined {
    const row = this.guard(() => this.selectManifest.get(this.identity, url));
    return row && Buffer.isBuffer(row.bytes) && typeof row.media_type === 'string' ? { mediaType: row.media_type, bytes: row.bytes } : undefined;
  }

  putManifest(url: string, manifest: CachedManifest): void {
    this.guard(() => this.insertManifest.run(this.identity, url, manifest.mediaType, manifest.bytes, Date.now()));
  }

  /** After a write, every stored answer of this account may be stale (manifests cannot be: they are kept). */
  forgetAll(): void {
    this.guard(() => {
      this.forgetStatement.run(this.identity);
      this.forgetRowsStatement.run(this.identity);
    });
  }

  /**
   * A cache is an optimisation: a locked or full file (another ghsql writing, a full disk) turns it
   * off with one warning rather than failing the query.
   */
  private guard<T>(operation: () => T): T | undefined {
    if (this.failed) return undefined;
    try {
      return operation();
    } catch (error) {
      this.failed = true;
      process.emitWarning(`ghsql: the response cache stopped working (${messageOf(error)}); continuing without it.`);
      return undefined;
    }
  }

  close(): void {
    this.db.close();
  }
}
