import Database from 'better-sqlite3';
import { register, type RegisterOptions, type Registration } from '../../dist/index.js';
import type { StandInOptions } from '../../dist/stand-in/server.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { afterAll, beforeAll, beforeEach } from 'vitest';

export interface Session {
  db: Database.Database;
  registration: Registration;
  close(): Promise<void>;
}

/** A database with ghsql registered against a stand-in; no cache unless a test asks for one. */
export function openSession(standIn: StandIn, options: RegisterOptions = {}): Session {
  const db = new Database(':memory:');
  const registration = register(db, { token: standIn.token, apiUrl: standIn.url, registryUrl: standIn.registryUrl, cache: false, retryBaseMs: 20, ...options });
  return {
    db,
    registration,
    async close() {
      await registration.close();
      db.close();
    },
  };
}

/** Lets the event loop turn, ending the "same statement" window of ghsql's per-statement memo. */
export const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A stand-in and a ghsql session on it for one describe block: started before its tests, closed
 * after, and between tests the memo's window ends and the request log is cleared.
 */
export function useStandInSession(standInOptions: StandInOptions = {}, sessionOptions: RegisterOptions = {}) {
  let standIn: StandIn | undefined;
  let session: Session | undefined;
  beforeAll(async () => {
    standIn = await startStandIn(standInOptions);
    session = openSession(standIn, sessionOptions);
  });
  afterAll(async () => {
    await session?.close();
    await standIn?.close();
  });
  beforeEach(async () => {
    await nextTurn();
    await standIn!.clearRequests();
  });
  return {
    get standIn() {
      return standIn!;
    },
    get session() {
      return session!;
    },
    sql: (text: string, ...params: unknown[]) => session!.db.prepare(text).all(...params) as Array<Record<string, unknown>>,
    requests: () => standIn!.requests(),
  };
}
