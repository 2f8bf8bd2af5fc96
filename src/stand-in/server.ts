// A stand-in for GitHub's packages endpoints: a real HTTP server on 127.0.0.1 that answers
// like api.github.com (auth, scopes, rate limits, caching headers), with switches for latency,
// faults and limits. It runs on the event loop of whichever thread starts it.

import { createHash, randomBytes } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { StandInData, type StandInDataOptions } from './accounts.js';
import { DEMO_ORGANIZATION } from './accounts-data.js';
import { answer, documentationUrl, errorBody, REST_DOCS_URL, requiredScopes, resolveRoute, type ApiResponse, type Route } from './api.js';
import { DEFAULT_DATA_SWITCHES, type AccountAccess, type DataSwitches, type TokenKindGrant } from './api-types.js';
import { tokenKind } from '../github/token-kind.js';
import { integrationRefusal } from './permissions.js';
import { definedOnly } from '../defined-only.js';
import { DEMO_TOKEN } from './demo-token.js';
import { RateWindow } from './rate-limit.js';
import { countDelete, DEFAULT_PUSH_SWITCHES, landDuePushes, type PushSwitches } from './image-pushes.js';
import { DEFAULT_REGISTRY_SWITCHES, RegistryStandIn, type RegistryRequest, type RegistrySwitches } from './registry.js';
import { messageOf } from '../errors.js';
import { StateFile } from './state-file.js';

export { DEMO_TOKEN };

/**
 * AccountAccess (api-types.ts) gives the token's kind (only classic tokens may use the whole packages
 * API), the user's organization memberships and an app token's package roles.
 */
export interface TokenGrant extends AccountAccess {
  /** Classic scopes, sent back in X-OAuth-Scopes (classic tokens only: GitHub sends none for the others). */
  scopes: string[];
}

export type FaultKind = '500' | '502' | '503' | 'reset';

/** A redirect answered instead of the API, as a misconfigured proxy or a moved server would. */
export interface RedirectSwitch {
  status: number;
  /** The Location header, verbatim (absolute or relative). */
  location: string;
  /** How many requests get it; default all, until switched off with `redirect: null`. */
  requests?: number;
}

/**
 * Transport switches here; DataSwitches (api-types.ts) change what the data layer answers,
 * RegistrySwitches the registry, PushSwitches (image-pushes.ts) push images meanwhile.
 */
export interface StandInSwitches extends DataSwitches, RegistrySwitches, PushSwitches {
  /** Delay before every response, faults included (the registry's too). */
  latencyMs: number;
  /** 0..1: the fraction of requests that fail with one of faultKinds. */
  faultRate: number;
  /** 'reset' destroys the socket without a response. */
  faultKinds: FaultKind[];
  /** The primary limit; setting it starts a new window. */
  rateLimit: { limit: number; remaining: number; resetSeconds: number };
  /** The next N requests answer 403 secondary-rate-limit with retry-after. */
  secondaryLimitRequests: number;
  secondaryRetryAfterSeconds: number;
  /** Sent verbatim as the secondary limit's retry-after instead of secondaryRetryAfterSeconds (to test bad values); null: off. */
  secondaryRetryAfterHeader: string | null;
  /** Answer every request with this redirect before anything else (auth included); null: off. */
  redirect: RedirectSwitch | null;
  /** Each page's rel="next" link points at the page itself, as a broken proxy rewriting links might. */
  selfLinkingPages: boolean;
  /** Seeds the fault draws, so a run's faults can be replayed. */
  seed: number;
}

/** StandInDataOptions (accounts.ts) give the login, packages, versions and other accounts. */
export interface StandInOptions extends Partial<StandInSwitches>, StandInDataOptions {
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Serve under a path prefix, as GitHub Enterprise Server does with /api/v3. Default: none. */
  basePath?: string;
  /** Default: DEMO_TOKEN with read, write and delete:packages and repo, admin of acme-corp. */
  tokens?: Record<string, TokenGrant>;
  /**
   * A file that keeps the changes made (deletes, restores, pushes): replayed over the data at start,
   * added to as they are made, so that the state outlasts the process (state-file.ts). Default: none,
   * every start is afresh.
   */
  stateFile?: string;
}

export interface LoggedRequest {
  method: string;
  /** The path as received, still percent-encoded, without the query. */
  path: string;
  query: Record<string, string>;
  /** 0 when the socket was reset without a response. */
  status: number;
  /** The request sent If-None-Match. */
  conditional: boolean;
  /** API requests being answered when this one arrived, itself included: how concurrent the client was. */
  inFlight: number;
}

export interface StandInServer {
  /** http://127.0.0.1:PORT, the API base URL. */
  url: string;
  /** http://127.0.0.1:PORT of the container registry, a server of its own as ghcr.io is beside api.github.com. */
  registryUrl: string;
  /** Never includes credentials: headers are not logged. */
  requests(): LoggedRequest[];
  registryRequests(): RegistryRequest[];
  /** Clears both logs. */
  clearRequests(): void;
  configure(patch: Partial<StandInSwitches>): void;
  close(): Promise<void>;
}

const DEFAULT_SWITCHES: StandInSwitches = {
  ...DEFAULT_DATA_SWITCHES,
  ...DEFAULT_REGISTRY_SWITCHES,
  ...DEFAULT_PUSH_SWITCHES,
  latencyMs: 0,
  faultRate: 0,
  faultKinds: ['500', '502', '503', 'reset'],
  rateLimit: { limit: 5000, remaining: 5000, resetSeconds: 3600 },
  secondaryLimitRequests: 0,
  secondaryRetryAfterSeconds: 1,
  secondaryRetryAfterHeader: null,
  redirect: null,
  selfLinkingPages: false,
  seed: 1,
};

const DEMO_GRANT: TokenGrant = { scopes: ['read:packages', 'write:packages', 'delete:packages', 'repo'], organizations: { [DEMO_ORGANIZATION]: 'admin' } };

/** GitHub's limit for callers without valid credentials, who are counted apart. */
const ANONYMOUS_RATE_LIMIT = { limit: 60, remaining: 60, resetSeconds: 3600 };

/** Classic scopes that include others, as GitHub's scope list nests them. */
const IMPLIED_SCOPES: Record<string, string[]> = { 'write:packages': ['read:packages'] };

const RATE_LIMIT_DOCS_URL = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

interface Reply {
  status: number;
  headers: Record<string, string>;
  body?: Buffer;
}

export async function startStandInServer(options: StandInOptions = {}): Promise<StandInServer> {
  const { port = 0, basePath = '', login, packages, versions, accounts, tokens = { [DEMO_TOKEN]: DEMO_GRANT }, stateFile: statePath, ...switches } = options;
  const stateFile = statePath === undefined ? undefined : new StateFile(statePath);
  const server = await listening(port);
  const registryServer = await listening(0).catch(async (error: unknown) => {
    await closeServer(server);
    throw error;
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${basePath}`;
  const registryUrl = `http://127.0.0.1:${(registryServer.address() as AddressInfo).port}`;
  // One object, so that configure() reaches the registry too.
  const live: StandInSwitches = { ...DEFAULT_SWITCHES, ...definedOnly(switches) };
  let data: StandInData;
  try {
    data = new StandInData(url, { login, packages, versions, accounts });
    stateFile?.replay(data, url, live);
    // Pushes given as options land as configure() lands them.
    live.imagePushes = landDuePushes(data, live.imagePushes, Date.now());
  } catch (error) {
    // Data that does not make sense must not leave a server listening.
    await Promise.all([closeServer(server), closeServer(registryServer)]);
    throw error;
  }
  const grants = withKinds(tokens);
  const standIn = new GitHubStandIn(url, basePath, data, grants, live, stateFile);
  const registry = new RegistryStandIn(registryUrl, data, grants, live, stateFile);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => void standIn.handle(request, response));
  const registryLoad = { inFlight: 0 };
  registryServer.on('request', (request: IncomingMessage, response: ServerResponse) => void serveRegistry(registry, live, registryLoad, request, response));
  return {
    url,
    registryUrl,
    requests: () => standIn.requests(),
    registryRequests: () => registry.requests(),
    clearRequests: () => {
      standIn.clearRequests();
      registry.clearRequests();
    },
    configure: (patch) => standIn.configure(patch),
    close: async () => {
      await Promise.all([closeServer(server), closeServer(registryServer)]);
    },
  };
}

type KindedGrant = TokenGrant & { kind: TokenKindGrant };

/** Each grant with its kind, from the token's prefix unless given: GitHub knows a token's kind by its format. */
function withKinds(tokens: Record<string, TokenGrant>): Record<string, KindedGrant> {
  const byPrefix: Partial<Record<ReturnType<typeof tokenKind>, TokenKindGrant>> = { installation: 'app', 'fine-grained': 'fine-grained' };
  return Object.fromEntries(Object.entries(tokens).map(([token, grant]) => [token, { ...grant, kind: grant.kind ?? byPrefix[tokenKind(token)] ?? 'classic' }]));
}

async function listening(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

async function serveRegistry(registry: RegistryStandIn, switches: StandInSwitches, load: { inFlight: number }, request: IncomingMessage, response: ServerResponse): Promise<void> {
  load.inFlight += 1;
  const inFlight = load.inFlight;
  try {
    // A push sends blobs and manifests: small (a manifest is at most 4 MiB), so read whole.
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const latencyMs = switches.registryLatencyMs ?? switches.latencyMs;
    if (latencyMs > 0) await delay(latencyMs);
    const reply = registry.answer(request, Buffer.concat(chunks), inFlight);
    response.writeHead(reply.status, reply.headers);
    response.end(reply.body);
  } catch (error) {
    // A bug in the stand-in must fail the one request, not crash the thread serving the demo.
    response.writeHead(500, { 'content-type': 'text/plain' });
    response.end(`Stand-in registry error: ${messageOf(error)}`);
  } finally {
    load.inFlight -= 1;
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Clients keep connections alive; without this, close() would wait for them to time out.
    server.closeAllConnections();
  });
}

/** Drops keys set to undefined, so that they do not override defaults. */

class GitHubStandIn {
  private readonly log: LoggedRequest[] = [];
  private readonly anonymousWindow = new RateWindow(ANONYMOUS_RATE_LIMIT, Date.now());
  private coreWindow: RateWindow;
  private random: () => number;
  private requestCount = 0;
  private answering = 0;
  /** Looks like the first groups of GitHub's request ids (7533:3E649A:…). */
  private readonly requestIdPrefix = `${randomBytes(2).toString('hex')}:${randomBytes(3).toString('hex')}`.toUpperCase();

  constructor(
    private readonly url: string,
    private readonly basePath: string,
    private readonly data: StandInData,
    private readonly tokens: Record<string, KindedGrant>,
    private readonly switches: StandInSwitches,
    private readonly stateFile: StateFile | undefined,
  ) {
    this.coreWindow = new RateWindow(switches.rateLimit, Date.now());
    this.random = seededRandom(switches.seed);
  }

  requests(): LoggedRequest[] {
    return [...this.log];
  }

  clearRequests(): void {
    this.log.length = 0;
  }

  configure(patch: Partial<StandInSwitches>): void {
    const changes = definedOnly(patch);
    // Checked and, when due, landed before any switch changes: a bad push changes nothing.
    if (changes.imagePushes) changes.imagePushes = landDuePushes(this.data, changes.imagePushes, Date.now());
    Object.assign(this.switches, changes);
    if (changes.rateLimit) this.coreWindow = new RateWindow(changes.rateLimit, Date.now());
    if (changes.seed !== undefined) this.random = seededRandom(changes.seed);
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.answering++;
    try {
      await this.answer(request, response);
    } finally {
      this.answering--;
    }
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    request.resume(); // no endpoint reads a body, but it must be drained to keep the connection usable
    const target = request.url ?? '/';
    const queryStart = target.indexOf('?');
    const path = queryStart === -1 ? target : target.slice(0, queryStart);
    const rawQuery = queryStart === -1 ? '' : target.slice(queryStart + 1);
    const query = new URLSearchParams(rawQuery);
    const entry: LoggedRequest = {
      method: request.method ?? 'GET',
      path,
      query: Object.fromEntries(query),
      status: 0,
      conditional: request.headers['if-none-match'] !== undefined,
      inFlight: this.answering,
    };
    if (this.switches.latencyMs > 0) await delay(this.switches.latencyMs);

    const requestId = this.nextRequestId();
    const redirect = this.takeRedirect();
    const fault = redirect ? undefined : this.drawFault();
    if (redirect) {
      response.writeHead(redirect.status, { location: redirect.location, 'content-length': '0', 'x-github-request-id': requestId });
      response.end();
      entry.status = redirect.status;
    } else if (fault === 'reset') {
      request.socket.destroy();
    } else {
      let reply: Reply;
      try {
        // Outside the base path nothing matches a route: GitHub Enterprise Server answers 404 there too.
        const apiPath = path.startsWith(this.basePath) ? path.slice(this.basePath.length) : `/outside-the-api${path}`;
        reply = fault ? faultReply(Number(fault), requestId) : this.respond(request, entry.method, apiPath, query, rawQuery, requestId);
        if (this.switches.selfLinkingPages) selfLink(reply, new URL(target, this.url).href);
        response.writeHead(reply.status, reply.headers);
      } catch (error) {
        // A bug in the stand-in must fail the one request, not crash the thread serving the demo.
        reply = faultReply(500, requestId, `Stand-in error: ${messageOf(error)}`);
        response.writeHead(reply.status, reply.headers);
      }
      response.end(reply.body);
      entry.status = reply.status;
    }
    this.log.push(entry);
  }

  /** GitHub's order: authentication, then rate limits, then the endpoint's own checks. */
  private respond(request: IncomingMessage, method: string, path: string, query: URLSearchParams, rawQuery: string, requestId: string): Reply {
    const now = Date.now();
    const headers: Record<string, string> = {
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': requestId,
    };
    const authorization = request.headers.authorization;
    const grant = authorization === undefined ? undefined : this.grantFor(authorization);
    if (!grant) return this.unauthenticated(authorization === undefined, headers, requestId, now);

    // GitHub answers it for any token, even with the budget spent, and does not count it.
    if (method === 'GET' && path === '/rate_limit') return jsonReply(200, this.rateLimitStatus(), { ...headers, 'cache-control': 'no-cache', ...this.coreWindow.headers() });
    const route = resolveRoute(method, path);
    if (grant.kind === 'classic') headers['x-oauth-scopes'] = grant.scopes.join(', ');
    headers['x-accepted-oauth-scopes'] = route ? requiredScopes(route).join(', ') : '';
    const limited = this.rateLimited(headers, requestId, now);
    if (limited) return limited;

    const result = route ? this.answerIfPermitted(route, grant, query, rawQuery, now) : { status: 404, body: errorBody('Not Found', REST_DOCS_URL, 404) };
    if (method !== 'GET' && result.status >= 200 && result.status < 300) {
      this.stateFile?.record({ api: { method, path, rawQuery, access: { organizations: grant.organizations ?? {} } }, at: now });
    }
    // Before the answer is sent, so that the client's next request sees what was pushed meanwhile.
    if (method === 'DELETE' && result.status === 204 && this.switches.imagePushes.length > 0) {
      this.switches.imagePushes = landDuePushes(this.data, countDelete(this.switches.imagePushes), now);
    }
    const body = result.body === undefined ? undefined : jsonBytes(result.body);
    Object.assign(headers, result.headers);
    if (method === 'GET' && result.status === 200) {
      const etag = `W/"${createHash('sha256').update(body ?? '').digest('hex')}"`;
      Object.assign(headers, { 'cache-control': 'private, max-age=60, s-maxage=60', vary: 'Accept, Authorization, Cookie, X-GitHub-OTP', etag });
      if (etagMatches(request.headers['if-none-match'], etag)) {
        // GitHub does not count a 304 against the rate limit.
        return { status: 304, headers: { ...headers, ...this.coreWindow.headers() } };
      }
    }
    this.coreWindow.consume();
    Object.assign(headers, this.coreWindow.headers());
    return body === undefined ? { status: result.status, headers } : jsonReply(result.status, body, headers);
  }

  /** GET /rate_limit's answer: the core budget as kept, and GitHub's other budgets untouched. */
  private rateLimitStatus(): object {
    const core = this.coreWindow.status();
    const full = (limit: number) => ({ limit, used: 0, remaining: limit, reset: core.reset });
    return { resources: { core, search: full(30), graphql: full(5000), code_search: full(10) }, rate: core };
  }

  /** Callers without valid credentials draw on GitHub's small anonymous budget. */
  private unauthenticated(noCredentials: boolean, headers: Record<string, string>, requestId: string, now: number): Reply {
    if (this.anonymousWindow.isExhausted(now)) {
      return jsonReply(403, rateLimitExceeded('127.0.0.1', requestId, now), { ...headers, ...this.anonymousWindow.headers() });
    }
    this.anonymousWindow.consume();
    const message = noCredentials ? 'Requires authentication' : 'Bad credentials';
    return jsonReply(401, errorBody(message, REST_DOCS_URL, 401), { ...headers, ...this.anonymousWindow.headers() });
  }

  /** The primary limit when exhausted, else the secondary limit while it is switched on. */
  private rateLimited(headers: Record<string, string>, requestId: string, now: number): Reply | undefined {
    if (this.coreWindow.isExhausted(now)) {
      return jsonReply(403, rateLimitExceeded(`user ID ${this.data.viewer.renderer.ownerId}`, requestId, now), { ...headers, ...this.coreWindow.headers() });
    }
    if (this.switches.secondaryLimitRequests > 0) {
      this.switches.secondaryLimitRequests -= 1;
      const message =
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
        `If you reach out to GitHub Support for help, please include the request ID ${requestId}.`;
      return jsonReply(403, errorBody(message, `${RATE_LIMIT_DOCS_URL}#about-secondary-rate-limits`, 403), {
        ...headers,
        ...this.coreWindow.headers(),
        'retry-after': this.switches.secondaryRetryAfterHeader ?? String(this.switches.secondaryRetryAfterSeconds),
      });
    }
    return undefined;
  }

  private grantFor(authorization: string): KindedGrant | undefined {
    const token = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(authorization.trim())?.[1];
    return token !== undefined && Object.hasOwn(this.tokens, token) ? this.tokens[token] : undefined;
  }

  /** The token kind and scopes are checked once the route is known, as the scopes depend on it. */
  private answerIfPermitted(route: Route, grant: KindedGrant, query: URLSearchParams, rawQuery: string, now: number): ApiResponse {
    const context = { data: this.data, apiBaseUrl: this.url, switches: this.switches, access: grant, now };
    // GET /user is no packages endpoint: a fine-grained token may read it.
    if (grant.kind === 'fine-grained' && route.key !== 'GET /user') {
      const message = 'Resource not accessible by personal access token. The packages API accepts personal access tokens (classic) only.';
      return { status: 403, body: errorBody(message, documentationUrl(route), 403) };
    }
    // An installation token has no scopes: its repository's roles decide (permissions.ts).
    if (grant.kind === 'app') return integrationRefusal(route.key, documentationUrl(route)) ?? answer(route, query, rawQuery, context);
    const granted = new Set(grant.scopes.flatMap((scope) => [scope, ...(IMPLIED_SCOPES[scope] ?? [])]));
    const required = requiredScopes(route);
    const missing = required.filter((scope) => !granted.has(scope));
    if (missing.length > 0) {
      const message =
        `Your token has not been granted the required scopes to execute this request: missing ${quoteAll(missing)}. ` +
        `This endpoint requires ${quoteAll(required)}; your token has ${grant.scopes.length > 0 ? quoteAll(grant.scopes) : 'no scopes'}.`;
      return { status: 403, body: errorBody(message, documentationUrl(route), 403) };
    }
    return answer(route, query, rawQuery, context);
  }

  private takeRedirect(): RedirectSwitch | undefined {
    const redirect = this.switches.redirect;
    if (!redirect) return undefined;
    if (redirect.requests !== undefined) {
      if (redirect.requests <= 0) return undefined;
      redirect.requests -= 1;
    }
    return redirect;
  }

  private drawFault(): FaultKind | undefined {
    const { faultRate, faultKinds } = this.switches;
    // One draw per request whatever the rate, so that a seed replays the same sequence.
    if (this.random() >= faultRate || faultKinds.length === 0) return undefined;
    return faultKinds[Math.floor(this.random() * faultKinds.length)];
  }

  private nextRequestId(): string {
    this.requestCount += 1;
    const sequence = this.requestCount.toString(16).toUpperCase().padStart(7, '0');
    const epochSeconds = Math.floor(Date.now() / 1000).toString(16).toUpperCase();
    return `${this.requestIdPrefix}:${sequence}:${epochSeconds}`;
  }
}

/** Points the reply's rel="next" link, if it has one, at `self`. */
function selfLink(reply: Reply, self: string): void {
  const link = reply.headers['link'];
  if (link) reply.headers['link'] = link.replace(/<[^>]*>(\s*;\s*rel="next")/, `<${self}>$1`);
}

function jsonBytes(body: Buffer | object): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
}

function jsonReply(status: number, body: Buffer | object, headers: Record<string, string>): Reply {
  const bytes = jsonBytes(body);
  return {
    status,
    headers: { ...headers, 'content-type': JSON_CONTENT_TYPE, 'content-length': String(bytes.length) },
    body: bytes,
  };
}

/** An infrastructure failure: no API headers, not counted against the rate limit. */
function faultReply(status: number, requestId: string, message = STATUS_CODES[status] ?? 'Server Error'): Reply {
  return jsonReply(status, { message }, { 'x-github-request-id': requestId });
}

function rateLimitExceeded(who: string, requestId: string, now: number) {
  const timestamp = new Date(now).toISOString().slice(0, 19).replace('T', ' ');
  const message =
    `API rate limit exceeded for ${who}. If you reach out to GitHub Support for help, ` +
    `please include the request ID ${requestId} and timestamp ${timestamp} UTC.`;
  return errorBody(message, RATE_LIMIT_DOCS_URL, 403);
}

/** If-None-Match holds a list of entity tags or *; weak comparison, as for GET. */
function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === opaque;
  });
}

function quoteAll(scopes: readonly string[]): string {
  return scopes.map((scope) => `'${scope}'`).join(', ');
}

/** mulberry32: small, fast and good enough to pick which requests fail. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}
