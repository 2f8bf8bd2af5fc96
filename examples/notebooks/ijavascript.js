// ghsql in ijavascript (the JavaScript kernel for Jupyter). ijavascript runs cells as CommonJS
// scripts, without top-level await: require('ghsql') loads the ES module through Node's
// require(esm), which Node has on by default from 20.19 (process.features.require_module).
// `demo: true` runs against ghsql's built-in stand-in, with no token.

const Database = require('better-sqlite3');
const { html, register } = require('ghsql');

const db = new Database('packages.sqlite');
const ghsql = register(db, { demo: true });

const byType = db
  .prepare(
    `SELECT t.value AS package_type, count(p.id) AS packages
     FROM json_each('["npm", "maven", "rubygems", "docker", "nuget", "container"]') t
     JOIN auth_user_packages p ON p.package_type = t.value
     GROUP BY t.value ORDER BY packages DESC`,
  )
  .all();
$$.html(html(byType));
