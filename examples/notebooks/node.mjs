// ghsql in plain Node.js: a script (node node.mjs), or VS Code's Node.js notebooks and anything else
// that runs ES modules with top-level await. `demo: true` runs against ghsql's built-in stand-in.
import Database from 'better-sqlite3';
import { register } from 'ghsql';

const db = new Database('packages.sqlite');
const ghsql = register(db, { demo: true, onProgress: ({ pages, pagesTotal }) => process.stderr.write(`\r${pages}/${pagesTotal ?? '?'} pages`) });
const rows = db
  .prepare(`SELECT name, visibility, version_count FROM auth_user_packages WHERE package_type = 'npm' ORDER BY name`)
  .all();
process.stderr.write('\n');
console.table(rows);
await ghsql.close(); // optional: the worker never keeps a script alive
