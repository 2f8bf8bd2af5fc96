import Database from 'better-sqlite3';
import { register, type RegisterOptions, type Registration } from '../../dist/index.js';
import type { StandIn } from '../../dist/stand-in/thread.js';

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
