// ghsql in tslab, the TypeScript kernel for Jupyter (npm install -g tslab && tslab install).
// Each `// %%` block is a cell. `demo: true` runs against ghsql's built-in stand-in, with no token:
// drop it (and set GITHUB_TOKEN) to query your own packages.

// %%
import Database from 'better-sqlite3';
import { html, register, snapshot } from 'ghsql';
import * as tslab from 'tslab';

// tslab declares each cell's variables for the next cells, and better-sqlite3's own type for a
// database cannot be named there: without this annotation the cell fails with TS4023.
const db: Database.Database = new Database('packages.sqlite');
const ghsql = register(db, { demo: true });

// %%
const largest = db
  .prepare(`SELECT name, version_count FROM auth_user_packages WHERE package_type = 'container' ORDER BY version_count DESC LIMIT 8`)
  .all();
tslab.display.html(html(largest));

// %%
// History in the file: run this cell again tomorrow and both days' rows are there, each with its taken_at.
const kept = snapshot(db, 'container_sizes', `SELECT name, version_count FROM auth_user_packages WHERE package_type = 'container'`);
console.log(`${kept.rows} rows kept at ${kept.takenAt}`);
