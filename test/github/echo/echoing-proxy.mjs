// A server that echoes what it was sent into its error bodies, in every encoding it can work out: the
// GitHub token (from `Authorization: token …`, and from a realm's `Basic base64(login:token)`) and any
// query value (a restore's package token). In a worker thread, since the SQL thread blocks while it
// waits for answers. In front of the stand-in (workerData.upstream), it answers with its own echoing
// error every restore (422), the token realm (400), and GET /user/packages when workerData.apiList;
// it is also the registry: any /v2/ request is challenged to its own realm, so the GitHub token goes there.
import { createServer, request as httpRequest } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { upstream, apiList } = workerData;

/** What a server that has the secret could send back: it raw, percent-encoded, base64 and base64url, alone and after a user name. */
function everyEncoding(secret) {
  const b64 = (text) => Buffer.from(text).toString('base64');
  const b64url = (text) => Buffer.from(text).toString('base64url');
  return [
    secret,
    encodeURIComponent(secret),
    b64(secret),
    b64url(secret),
    b64(`octocat:${secret}`),
    b64url(`octocat:${secret}`),
    b64(`x-access-token:${secret}`),
    b64(`a:${secret}`),
    b64(`ab:${secret}`),
    encodeURIComponent(b64(`octocat:${secret}`)),
  ];
}

function echoOf(request) {
  const url = new URL(request.url ?? '/', 'http://echo');
  const authorization = request.headers.authorization ?? '';
  const [scheme = '', credentials = ''] = authorization.split(' ');
  const recovered = [...url.searchParams.values()];
  if (scheme.toLowerCase() === 'token') recovered.push(credentials);
  if (scheme.toLowerCase() === 'basic') {
    const pair = Buffer.from(credentials, 'base64').toString();
    recovered.push(pair.slice(pair.indexOf(':') + 1));
  }
  return [`${request.method} ${request.url}`, `Authorization: ${authorization}`, ...recovered.flatMap(everyEncoding)].join(' | ');
}

const answer = (response, status, body, headers = {}) => response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);

const server = createServer((request, response) => {
  const { pathname } = new URL(request.url ?? '/', 'http://echo');
  const echo = JSON.stringify({ message: `you sent ${echoOf(request)}` });
  if (pathname.startsWith('/v2/')) {
    return answer(response, 401, '{}', { 'www-authenticate': `Bearer realm="http://127.0.0.1:${server.address().port}/token",service="echo"` });
  }
  if (pathname === '/token') return answer(response, 400, echo);
  if (pathname.endsWith('/restore')) return answer(response, 422, echo);
  if (apiList && pathname === '/user/packages') return answer(response, 400, echo);
  const forwarded = httpRequest(`${upstream}${request.url}`, { method: request.method, headers: request.headers }, (upstreamResponse) => {
    response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
    upstreamResponse.pipe(response);
  });
  request.pipe(forwarded);
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ url: `http://127.0.0.1:${server.address().port}` }));
