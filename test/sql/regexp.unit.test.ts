import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { register } from '../../dist/index.js';

// register() starts no worker until a ghsql table is queried: REGEXP alone needs none.
function database() {
  const db = new Database(':memory:');
  const registration = register(db, { token: 'ghp_' + 'x'.repeat(36), apiUrl: 'http://127.0.0.1:9' });
  return { db, close: () => registration.close() };
}

describe('REGEXP', () => {
  it("is SQLite's x REGEXP y, with JavaScript patterns (u flag), NULL for NULL", async () => {
    const { db, close } = database();
    const match = (value: unknown, pattern: unknown) => db.prepare('SELECT ? REGEXP ? AS m').get(value, pattern);
    expect(match('v1.2.3', String.raw`^v\d+\.\d+\.\d+$`)).toEqual({ m: 1 });
    expect(match('v1.2.3-rc.1', String.raw`^v\d+\.\d+\.\d+$`)).toEqual({ m: 0 });
    expect(match('pr-123', 'pr-')).toEqual({ m: 1 }); // anywhere unless anchored
    expect(match('Café', String.raw`^\p{L}+$`)).toEqual({ m: 1 });
    expect(match(null, 'x')).toEqual({ m: null });
    expect(match('x', null)).toEqual({ m: null });
    expect(match(42, '^4')).toEqual({ m: 1 });
    const tags = db.prepare("SELECT value FROM json_each('[\"latest\",\"v1.0.0\",\"pr-7\",\"dev\",\"v2.0.0-rc.1\"]') WHERE value REGEXP '^(latest|v[0-9.]+)$'").pluck().all();
    expect(tags).toEqual(['latest', 'v1.0.0']);
    await close();
  });

  it('says what is wrong with a pattern', async () => {
    const { db, close } = database();
    expect(() => db.prepare("SELECT 'a' REGEXP '(unclosed'").get()).toThrow(/^REGEXP pattern "\(unclosed" is not a valid regular expression \(.*\); patterns are JavaScript's, with the u flag\.$/);
    expect(() => db.prepare("SELECT 'a' REGEXP 1").get()).toThrow(/REGEXP takes its pattern as text, not a number/);
    await close();
  });
});
