// The synthetic table's API: a real HTTP server on 127.0.0.1, in a worker thread (the SQL thread
// blocks while it waits for answers). Shelf "a" holds books 1..12, 3 per page; odd ids are first
// prints. The parent asks for the request log with a "log" message.
import { createServer } from 'node:http';
import { parentPort } from 'node:worker_threads';

const books = Array.from({ length: 12 }, (_, i) => ({ id: i + 1, title: `Book ${i + 1}`, print: (i + 1) % 2, details: { author: { name: `Author ${(i % 3) + 1}` } } }));
const PAGE = 3;
const log = [];

const server = createServer((request, response) => {
  const url = new URL(request.url, 'http://127.0.0.1');
  log.push(`${request.method} ${url.pathname}${url.search}`);
  const json = (status, body, headers = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
  const [, shelves, shelf, section, id, ...rest] = url.pathname.split('/');
  if (shelves !== 'shelves' || section !== 'books' || rest.length > 0) return json(404, { message: 'Not Found' });
  const onShelf = shelf === 'a' ? books : [];
  if (id !== undefined) {
    const book = onShelf.find((candidate) => String(candidate.id) === id);
    return book ? json(200, book) : json(404, { message: 'Not Found' });
  }
  const edition = url.searchParams.get('edition');
  const matching = onShelf.filter((book) => edition === null || (edition === 'first') === (book.print === 1));
  const page = Number(url.searchParams.get('page') ?? '1');
  const last = Math.max(1, Math.ceil(matching.length / PAGE));
  const link = (n) => { const next = new URL(url); next.searchParams.set('page', String(n)); return `<http://${request.headers.host}${next.pathname}${next.search}>`; };
  const headers = page < last ? { link: `${link(page + 1)}; rel="next", ${link(last)}; rel="last"` } : {};
  json(200, matching.slice((page - 1) * PAGE, page * PAGE), headers);
});

server.listen(0, '127.0.0.1', () => parentPort.postMessage({ url: `http://127.0.0.1:${server.address().port}` }));
parentPort.on('message', (message) => {
  if (message === 'log') parentPort.postMessage({ log: log.splice(0) });
});
