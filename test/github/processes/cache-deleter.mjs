// A third process deleting the shared cache's rows under the readers, until its stdin closes:
// one random row at a time, and now and then all of them. Prints how many deletes it made.
// Argument: the cache file.
import Database from 'better-sqlite3';

const db = new Database(process.argv[2]);
db.pragma('busy_timeout = 2000');
const one = db.prepare('DELETE FROM responses WHERE rowid = (SELECT rowid FROM responses ORDER BY random() LIMIT 1)');
const all = db.prepare('DELETE FROM responses');
let ticks = 0;
let deleted = 0;
const timer = setInterval(() => {
  ticks++;
  deleted += (ticks % 10 === 0 ? all : one).run().changes;
}, 2);
process.stdin.resume();
process.stdin.on('end', () => {
  clearInterval(timer);
  db.close();
  process.stdout.write(`${JSON.stringify({ ticks, deleted })}\n`);
});
