import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// A real browser for the pages ghsql writes: Debian's chromium, headless (.ci/run installs it when
// missing). The page itself has no script; a probe appended to a copy measures what chromium drew
// (each node's box, each edge's ends, the SVG's size) and leaves it in the DOM as JSON, which
// --dump-dom prints after the page has rendered.

export const CHROMIUM = process.env['CHROMIUM'] ?? 'chromium';

/** A browser start takes a second on a quiet machine and tens on a loaded 2-core one: the tests that draw allow this much. */
export const BROWSER_TEST_TIMEOUT = 180_000;

export interface DrawnNode {
  id: string | null;
  digest: string;
  kind: string;
  missing: boolean;
  mark: string | null;
  why: string | null;
  /** The node's box in its SVG's coordinates. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DrawnEdge {
  from: string;
  to: string;
  link: string;
  start: [number, number];
  end: [number, number];
}

export interface DrawnPackage {
  name: string;
  svgWidth: number;
  svgHeight: number;
  nodes: DrawnNode[];
  edges: DrawnEdge[];
  tags: number;
  tagEdges: number;
}

export interface Drawing {
  title: string;
  packages: DrawnPackage[];
  /** Rows of the first table's body, as text cells. */
  tableRows: string[][];
  /** Bars and polylines of the result charts. */
  bars: number;
  lines: number;
  /** Elements that would fetch something (script src, link, img, iframe, @import): a self-contained page has none. */
  fetches: number;
}

const PROBE = `<script>
(() => {
  const packages = [...document.querySelectorAll('section.package')].map((section) => {
    const svg = section.querySelector('svg');
    const nodes = [...section.querySelectorAll('g.node')].map((g) => {
      const box = g.getBBox();
      const move = g.transform.baseVal.consolidate().matrix;
      return { id: g.dataset.id ?? null, digest: g.dataset.digest, kind: g.dataset.kind, missing: g.classList.contains('missing'),
        mark: g.dataset.mark ?? null, why: g.dataset.why ?? null, x: move.e + box.x, y: move.f + box.y, width: box.width, height: box.height };
    });
    const edges = [...section.querySelectorAll('path.edge')].map((path) => {
      const start = path.getPointAtLength(0);
      const end = path.getPointAtLength(path.getTotalLength());
      return { from: path.dataset.from, to: path.dataset.to, link: path.dataset.link, start: [start.x, start.y], end: [end.x, end.y] };
    });
    return { name: section.dataset.package, svgWidth: svg.width.baseVal.value, svgHeight: svg.height.baseVal.value, nodes, edges,
      tags: section.querySelectorAll('g.tag').length, tagEdges: section.querySelectorAll('path.tag-edge').length };
  });
  const table = document.querySelector('body > table');
  const tableRows = table ? [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent)) : [];
  const probe = document.currentScript;
  const fetches = document.querySelectorAll('script[src], link, img, iframe, object, embed').length
    + [...document.querySelectorAll('style')].filter((style) => /@import|url\\(/.test(style.textContent)).length;
  const drawing = { title: document.title, packages, tableRows, bars: document.querySelectorAll('figure.bars g.bar').length,
    lines: document.querySelectorAll('figure.lines polyline').length, fetches };
  const out = document.createElement('pre');
  out.id = 'probe';
  out.textContent = btoa(unescape(encodeURIComponent(JSON.stringify(drawing))));
  probe.after(out);
})();
</script>`;

/** Opens `html` in headless chromium and returns what it drew. */
export async function drawInBrowser(html: string): Promise<Drawing> {
  const dir = mkdtempSync(join(tmpdir(), 'ghsql-browser-'));
  try {
    const file = join(dir, 'page.html');
    writeFileSync(file, html.replace(/<\/body>/, `${PROBE}\n</body>`));
    const dom = await run(CHROMIUM, [
      '--headless',
      '--no-sandbox', // CI runs as root, where chromium's sandbox refuses to start
      '--disable-gpu',
      '--no-first-run',
      `--user-data-dir=${join(dir, 'profile')}`,
      '--dump-dom',
      pathToFileURL(file).href,
    ]);
    const encoded = /<pre id="probe">([A-Za-z0-9+/=]+)<\/pre>/.exec(dom)?.[1];
    if (!encoded) throw new Error(`chromium drew the page but the probe left no result; its DOM begins: ${dom.slice(0, 300)}`);
    return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as Drawing;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error(`${command} is not installed: the page tests draw in a real browser. Install Debian's chromium (apt-get install -y chromium; .ci/run does), or set CHROMIUM to its path.`));
      } else if (error) reject(new Error(`${command} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}
