// A list API whose Link headers name the list canonically, as GitHub's do (it answers
// /repos/Owner/Repo/... with links to /repositories/ID/...): shelf names are case-insensitive and
// every link names the shelf in lower case. Shelf "a" holds books 1..7, 3 per page; answers carry an ETag.
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

// workerData.untitled: book 1 has no title (null), which a schema may or may not allow.
const books = Array.from({ length: 7 }, (_, i) => ({ id: i + 1, title: i === 0 && workerData?.untitled ? null : `Book ${i + 1}`, print: 1, details: { author: { name: 'A' } } }));
const PAGE = 3;
const log = [];

const server = createServer((request, response) => {
  const url = new URL(request.url, 'http://127.0.0.1');
  log.push(`${request.method} ${url.pathname}${url.search}`);
  const [, , shelf] = url.pathname.split('/');
  const onShelf = shelf.toLowerCase() === 'a' ? books : [];
  const page = Number(url.searchParams.get('page') ?? '1');
  const last = Math.max(1, Math.ceil(onShelf.length / PAGE));
  const link = (n) => {
    const next = new URL(url);
    next.pathname = `/shelves/${shelf.toLowerCase()}/books`;
    next.searchParams.set('page', String(n));
    return `<http://${request.headers.host}${next.pathname}${next.search}>`;
  };
  const body = JSON.stringify(onShelf.slice((page - 1) * PAGE, page * PAGE));
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
  const headers = { 'content-type': 'application/json', etag, ...(page < last ? { link: `${link(page + 1)}; rel="next", ${link(last)}; rel="last"` } : {}) };
  if (request.headers['if-none-match'] === etag) {
    response.writeHead(304, headers);
    return response.end();
  }
  response.writeHead(200, headers);
  response.end(body);
});

server.listen(0, '127.0.0.1', () => parentPort.postMessage({ url: `http://127.0.0.1:${server.address().port}` }));
parentPort.on('message', (message) => {
  if (message === 'log') parentPort.postMessage({ log: log.splice(0) });
});
