import Database from 'better-sqlite3';

/**
 * SQLite's own rules for a value compared with a column: `package_version_id = '12'` matches 12,
 * `package_name = 12` matches '12', `package_type = x'6e706d'` matches nothing (a blob never equals
 * text). better-sqlite3 tells SQLite that ghsql checks its parameters itself, so ghsql must apply
 * the same rules; rather than re-implement them, it asks a private in-memory SQLite to store the
 * value in a column of that affinity, which is exactly what the comparison does.
 */
interface Stored {
  integer: unknown;
  integer_type: string;
  text: unknown;
  text_type: string;
}
let affinityStatement: Database.Statement<[unknown, unknown], Stored> | undefined;

function withAffinities(value: unknown): Stored {
  if (!affinityStatement) {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE affinity(integer INTEGER, text TEXT); INSERT INTO affinity VALUES (NULL, NULL)');
    affinityStatement = db
      .prepare<[unknown, unknown], Stored>('UPDATE affinity SET integer = ?, text = ? RETURNING integer, typeof(integer) AS integer_type, text, typeof(text) AS text_type')
      .safeIntegers(true);
  }
  return affinityStatement.get(value, value)!;
}

/**
 * The text a bound value compares as, against a column of the given type: the canonical text GitHub
 * is sent (a decimal integer for INTEGER columns), or undefined when SQL says no row can match.
 */
export function comparableText(type: 'INTEGER' | 'TEXT', value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' && type === 'TEXT') return value; // the common case, without SQLite
  const converted = withAffinities(value);
  if (type === 'INTEGER') return converted.integer_type === 'integer' ? String(converted.integer) : undefined;
  return converted.text_type === 'text' ? String(converted.text) : undefined;
}
