// Screenshots of the demo's image graph and of a plan for the README (docs/*.png), drawn by the
// built CLI and Debian's chromium: npm run screenshots. Rerun it when the pages' look changes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'cli', 'main.js');
const chromium = process.env.CHROMIUM ?? 'chromium';

/** The page the CLI writes for a script on stdin (the last thing it prints). */
function page(script, flags = []) {
  const out = execFileSync(process.execPath, [cli, '--demo', ...flags], { input: script, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });
  return out.slice(out.indexOf('<!DOCTYPE html>'));
}

const shots = [
  { file: 'image-graph.png', size: '1180,1250', html: page('.graph acme/app\n') },
  {
    file: 'prune-plan.png',
    size: '1180,1450',
    // A careless plan (every untagged version), so that the picture shows all three marks.
    html: page(
      `.mode csv
SELECT package_name AS package, id, delete_package_version_for_authenticated_user('container', package_name, id) AS outcome
FROM auth_user_container_manifests WHERE package_name = 'acme/app' AND json_array_length(tags) = 0;
.graph --plan
`,
      ['--dry-run', '--keep-going'],
    ),
  },
];

const dir = mkdtempSync(join(tmpdir(), 'ghsql-screenshots-'));
try {
  for (const shot of shots) {
    const html = join(dir, shot.file.replace(/\.png$/, '.html'));
    writeFileSync(html, shot.html);
    const png = join(root, 'docs', shot.file);
    execFileSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--user-data-dir=${join(dir, 'profile')}`, `--window-size=${shot.size}`, `--screenshot=${png}`, pathToFileURL(html).href], { stdio: 'ignore' });
    console.log(`wrote docs/${shot.file}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
