import { execFileSync } from 'node:child_process';

export interface FileAsPythonSeesIt {
  journalMode: string;
  integrity: string;
  rows: Array<Record<string, unknown>>;
}

/** What another program sees in a database file: Python's own SQLite, after ghsql is done with it. */
export function readWithPython(file: string, query: string): FileAsPythonSeesIt {
  const script = `
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.row_factory = sqlite3.Row
print(json.dumps({
  "journalMode": db.execute("PRAGMA journal_mode").fetchone()[0],
  "integrity": db.execute("PRAGMA integrity_check").fetchone()[0],
  "rows": [dict(row) for row in db.execute(sys.argv[2])],
}))`;
  return JSON.parse(execFileSync('python3', ['-c', script, file, query], { encoding: 'utf8' })) as FileAsPythonSeesIt;
}
