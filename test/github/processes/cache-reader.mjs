// A separate ghsql process reading one list again and again through a shared cache file (dist/ as
// shipped, no worker): prints what it saw as one JSON line. Started by cache-sharing.test.ts.
// Arguments: API URL, token, cache directory, iterations, expected item count.
import { DEFAULT_CLIENT_OPTIONS, GitHubClient } from '../../../dist/github/client.js';
import { PageDemand, readPages } from '../../../dist/github/pagination.js';
import { ResponseCache } from '../../../dist/github/response-cache.js';

const [baseUrl, token, cacheDir, iterations, expected] = process.argv.slice(2);
const sources = { network: 0, revalidated: 0, cache: 0 };
const cache = new ResponseCache(cacheDir, token);
const client = new GitHubClient({ ...DEFAULT_CLIENT_OPTIONS, baseUrl, token, cacheDir, cacheTtlMs: 60_000, retryBaseMs: 5 }, (event) => sources[event.source]++, cache);
const report = { sources, names: {}, problems: [], warnings: [] };
process.on('warning', (warning) => report.warnings.push(warning.message));

for (let iteration = 0; iteration < Number(iterations); iteration++) {
  const ids = new Set();
  try {
    const list = { route: 'GET /user/packages', params: { package_type: 'container', per_page: 100 } };
    for await (const page of readPages(client, list, new PageDemand(Number.MAX_SAFE_INTEGER), new AbortController().signal)) {
      const items = JSON.parse(page.body);
      page.remember?.();
      for (const item of items) {
        ids.add(item.id);
        // Which account's entries the rows came from: names of the first account's are marked.
        const kind = item.name.startsWith('only-for-first:') ? 'marked' : 'plain';
        report.names[kind] = (report.names[kind] ?? 0) + 1;
      }
    }
  } catch (error) {
    report.problems.push(`iteration ${iteration}: ${error.message}`);
  }
  if (ids.size !== Number(expected)) report.problems.push(`iteration ${iteration}: ${ids.size} distinct items, not ${expected}`);
}
cache.close();
process.stdout.write(`${JSON.stringify(report)}\n`);
