import { createHash } from 'node:crypto';
import { GhsqlError } from '../../errors.js';
import { LIBRARY_WORDING } from '../../wording.js';
import { parseBearerChallenge, type BearerChallenge } from './bearer-challenge.js';
import type { GitHubClient, OutsideRequest, OutsideResponse, Service } from '../client.js';
import { settingToCheck } from '../transport/exchange.js';
import { isLoopback } from '../loopback.js';
import { quotedWhole } from '../redact.js';
import type { CachedManifest, ResponseCache } from '../response-cache.js';
import type { TraceEvent } from '../trace.js';

/** The manifest and index media types a GET asks for: OCI's and Docker's. */
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
] as const;

/** A blob a pushed manifest names, with its bytes. */
export interface PushedBlob {
  digest: string;
  bytes: Buffer;
}

/** A manifest to push: its bytes, its media type (the Content-Type it is sent with), and the blobs it names. */
export interface PushedManifest {
  mediaType: string;
  bytes: Buffer;
  blobs: PushedBlob[];
}

/** A manifest as the registry holds it: its bytes are those whose sha256 is `digest`. */
export interface Manifest extends CachedManifest {
  digest: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** Tags as the distribution spec allows them. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
/** Repository names as the distribution spec allows them (GitHub's container names are of this form). */
const REPOSITORY = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;
/** The distribution spec's limit: a registry need not accept a larger manifest, and none is that large. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** A token service answers a token (at most 8 KiB) and a few fields; 64 KiB is plenty. */
const MAX_TOKEN_ANSWER_BYTES = 64 * 1024;
/** Manifests kept in memory for the worker's life, so that no digest is fetched twice; the cache file keeps them all. */
const MEMORY_ENTRIES = 50_000;

/**
 * Reads manifests from the container registry (ghcr.io) through the GitHub client's retries, rate
 * limits and trace. Auth is by challenge: a 401's `WWW-Authenticate: Bearer realm=…` is answered by
 * asking that realm for a bearer token with basic auth (registryUser, else the repository's owner,
 * and the GitHub token: ghcr.io takes any user name, and the workflow token may not ask GET /user), then retrying. The GitHub token goes only to a realm on the registry's own host, over HTTPS
 * (or to this machine); the registry itself only ever sees the bearer token.
 *
 * Manifests are content-addressed: each is checked against its digest (the sha256 of the bytes, and
 * Docker-Content-Digest) and then kept for good, in memory and in the cache file, so each digest is
 * fetched once (on ghcr.io a manifest GET may count as a download of a public package).
 */
export class RegistryClient {
  private readonly base?: URL;
  private readonly memory = new Map<string, Promise<Manifest | undefined>>();
  /** Bearer tokens by repository; undefined when the registry asked for none. */
  private readonly tokens = new Map<string, Promise<string | undefined>>();
  private user?: Promise<string>;
  /** Bearer tokens with push scope, by repository. */
  private readonly pushTokens = new Map<string, Promise<string>>();

  constructor(
    private readonly api: GitHubClient,
    private readonly cache: ResponseCache | undefined,
    private readonly trace: (event: TraceEvent) => void = () => undefined,
  ) {
    if (api.options.registryUrl !== undefined) this.base = new URL(api.options.registryUrl.replace(/\/+$/, ''));
  }

  /** The manifest of `digest` in `owner/packageName`; undefined when the registry has none (404). */
  async manifest(owner: string, packageName: string, digest: string, signal?: AbortSignal): Promise<Manifest | undefined> {
    const repository = `${owner}/${packageName}`.toLowerCase();
    if (!REPOSITORY.test(repository)) throw new GhsqlError('INVALID_ARGUMENT', `${owner}/${packageName} is not a container repository name (lower-case letters, digits, ".", "_", "-" and "/").`);
    if (!DIGEST.test(digest)) throw new GhsqlError('INVALID_ARGUMENT', `${quotedWhole(digest, 80)} is not a sha256 manifest digest.`);
    const url = new URL(`${this.registry().href.replace(/\/$/, '')}/v2/${repository}/manifests/${digest}`);
    const known = this.memory.get(url.href);
    if (known) {
      void known.then((manifest) => manifest && this.traceHit(url));
      return known;
    }
    const loading = this.load(url, repository, digest, signal);
    this.memory.set(url.href, loading);
    // A failure is not remembered: the next ask tries again.
    loading.catch(() => this.memory.delete(url.href));
    if (this.memory.size > MEMORY_ENTRIES) this.memory.delete(this.memory.keys().next().value!);
    return loading;
  }

  private registry(): URL {
    if (this.base) return this.base;
    throw new GhsqlError(
      'INVALID_ARGUMENT',
      `no container registry is known for the API URL ${this.api.options.baseUrl}: give it with ${(this.api.options.wording ?? LIBRARY_WORDING).registryUrl} or GHSQL_REGISTRY_URL (ghcr.io for github.com, https://containers.HOST for GitHub Enterprise Server).`,
    );
  }

  /** The registry or its token service, as the transport names it in messages, with the longest body it reads from it. */
  private service(which: 'registry' | 'token service'): Service {
    const registry = `the container registry at ${this.registry().host}`;
    const name = which === 'registry' ? registry : `the token service of ${registry}`;
    const [maxBodyBytes, body] = which === 'registry' ? [MAX_MANIFEST_BYTES, 'a manifest'] : [MAX_TOKEN_ANSWER_BYTES, "a token service's answer"];
    return { name, rateLimit: `the rate limit of ${name}`, setting: 'the registry URL', option: (this.api.options.wording ?? LIBRARY_WORDING).registryUrl, maxBodyBytes, body };
  }

  private async load(url: URL, repository: string, digest: string, signal: AbortSignal | undefined): Promise<Manifest | undefined> {
    const cached = this.cache?.getManifest(url.href);
    // The file is shared and may be damaged: only bytes that still hash to the digest are used.
    if (cached && sha256(cached.bytes) === digest) {
      this.traceHit(url);
      return { digest, ...cached };
    }
    const answer = await this.withToken(repository, (authorization) => this.api.fetchOutside({ url, service: this.service('registry'), headers: { accept: MANIFEST_MEDIA_TYPES.join(', '), ...authorization }, accept: [401, 404] }, signal), signal);
    if (answer.status === 404) return undefined;
    const manifest = checked(answer, digest);
    this.cache?.putManifest(url.href, manifest);
    return manifest;
  }

  private traceHit(url: URL): void {
    this.trace({ method: 'GET', target: `${url.host}${url.pathname}`, status: 200, ms: 0, source: 'cache' });
  }

  /**
   * Sends with the repository's bearer token and answers a 401 challenge once with a new one. The
   * first request of a repository goes alone, so that those sent meanwhile reuse the token it got
   * rather than each asking the realm.
   */
  private async withToken(repository: string, send: (authorization: Record<string, string>) => Promise<OutsideResponse>, signal: AbortSignal | undefined): Promise<OutsideResponse> {
    const header = (token: string | undefined): Record<string, string> => (token === undefined ? {} : { authorization: `Bearer ${token}` });
    const known = this.tokens.get(repository);
    let answer: OutsideResponse | undefined;
    if (known) {
      answer = await send(header(await known));
    } else {
      const first = (async () => {
        answer = await send({});
        if (answer.status !== 401) return undefined;
        const token = await this.tokenFor(answer, repository, signal);
        answer = await send(header(token));
        return token;
      })();
      this.tokens.set(repository, first);
      first.catch(() => this.tokens.delete(repository));
      await first;
    }
    if (answer!.status === 401 && known) {
      // The token expired (ghcr.io's last minutes): one new one.
      const fresh = this.tokenFor(answer!, repository, signal);
      this.tokens.set(repository, fresh);
      fresh.catch(() => this.tokens.delete(repository));
      answer = await send(header(await fresh));
    }
    if (answer!.status === 401) {
      throw new GhsqlError('AUTH', `${this.service('registry').name} refused the token for ${repository} (401, GET ${answer!.target}): the GitHub token needs read:packages and access to the package.`, 401);
    }
    return answer!;
  }

  /** A bearer token from the realm the challenge names, if that realm may receive the GitHub token. */
  private async tokenFor(challenged: OutsideResponse, repository: string, signal: AbortSignal | undefined): Promise<string> {
    const challenge = parseBearerChallenge(challenged.headers.get('www-authenticate'));
    if (!challenge) {
      throw new GhsqlError('AUTH', `${this.service('registry').name} answered GET ${challenged.target} with 401 but no Bearer challenge (WWW-Authenticate realm=…); ghsql cannot authenticate to it. Check ${settingToCheck(this.service('registry'), this.registry().origin)}.`, 401);
    }
    const realm = this.trustedRealm(challenge);
    realm.searchParams.set('scope', challenge.scope ?? `repository:${repository}:pull`);
    if (challenge.service) realm.searchParams.set('service', challenge.service);
    const token = this.api.options.token ?? '';
    const user = this.api.options.registryUser ?? repository.slice(0, repository.indexOf('/'));
    const credentials = Buffer.from(`${user}:${token}`).toString('base64');
    const answer = await this.api.fetchOutside({ url: realm, service: this.service('token service'), headers: { authorization: `Basic ${credentials}`, accept: 'application/json' }, accept: [401, 403] }, signal);
    if (answer.status !== 200) {
      throw new GhsqlError('AUTH', `${this.service('token service').name} refused the GitHub token (${answer.status}, GET ${answer.target}): it needs to be a classic personal access token with read:packages.`, answer.status);
    }
    return bearerToken(answer, this.service('token service'));
  }

  /** The realm as a URL, refused unless it is on the registry's own host (and HTTPS, or this machine). */
  private trustedRealm(challenge: BearerChallenge): URL {
    const registry = this.registry();
    let realm: URL;
    try {
      realm = new URL(challenge.realm);
    } catch {
      throw new GhsqlError('AUTH', `the container registry names a token realm that is not a URL (${quotedWhole(challenge.realm, 100)}); not sending the GitHub token anywhere.`);
    }
    const secure = realm.protocol === 'https:' || (realm.protocol === 'http:' && isLoopback(realm));
    if (realm.host !== registry.host || !secure || realm.username !== '' || realm.password !== '') {
      throw new GhsqlError(
        'AUTH',
        `the container registry at ${registry.host} asks for a token from ${realm.protocol}//${realm.host}, which is not the registry's own host over HTTPS; ghsql sends the GitHub token only to the API and to the registry, so it did not. Check the registry URL.`,
      );
    }
    return realm;
  }

  /**
   * Pushes a manifest under `tag` in `owner/packageName` (the OCI distribution spec's push): first
   * each blob it names that the registry lacks (HEAD, then a POST and PUT upload), then the manifest
   * itself. Needs a bearer token with push scope, which the realm gives for a token with
   * write:packages. Returns the manifest's digest.
   */
  async pushManifest(owner: string, packageName: string, tag: string, manifest: PushedManifest, signal?: AbortSignal): Promise<string> {
    const repository = `${owner}/${packageName}`.toLowerCase();
    if (!REPOSITORY.test(repository)) throw new GhsqlError('INVALID_ARGUMENT', `${owner}/${packageName} is not a container repository name (lower-case letters, digits, ".", "_", "-" and "/").`);
    if (!TAG.test(tag)) throw new GhsqlError('INVALID_ARGUMENT', `${quotedWhole(tag, 140)} is not a tag a registry can have (letters, digits, "_", "." and "-", at most 128, not starting with "." or "-").`);
    const base = `${this.registry().href.replace(/\/$/, '')}/v2/${repository}`;
    for (const blob of manifest.blobs) {
      const present = await this.pushRequest(repository, { method: 'HEAD', url: new URL(`${base}/blobs/${blob.digest}`), headers: {}, accept: [404] }, signal);
      if (present.status === 404) await this.uploadBlob(repository, base, blob, signal);
    }
    const digest = sha256(manifest.bytes);
    const put = await this.pushRequest(
      repository,
      { method: 'PUT', url: new URL(`${base}/manifests/${encodeURIComponent(tag)}`), headers: { 'content-type': manifest.mediaType }, body: manifest.bytes, accept: [] },
      signal,
    );
    const stored = put.headers.get('docker-content-digest');
    if (stored !== null && stored.trim() !== digest) {
      throw new GhsqlError('BAD_RESPONSE', `the registry answered PUT ${put.target} with Docker-Content-Digest ${quotedWhole(stored, 80)}, not the pushed manifest's ${digest}.`);
    }
    return digest;
  }

  /** A monolithic upload in two steps (POST for a session, PUT of the bytes with the digest), which every registry takes. */
  private async uploadBlob(repository: string, base: string, blob: PushedBlob, signal: AbortSignal | undefined): Promise<void> {
    const started = await this.pushRequest(repository, { method: 'POST', url: new URL(`${base}/blobs/uploads/`), headers: {}, accept: [] }, signal);
    const location = started.headers.get('location');
    const session = location === null ? undefined : urlOrUndefined(location, `${base}/`);
    // The bearer token goes to the registry only: an upload elsewhere (a storage service) is not followed.
    if (!session || session.origin !== new URL(base).origin) {
      throw new GhsqlError('BAD_RESPONSE', `the registry answered POST ${started.target} without an upload location on its own host (${quotedWhole(String(location), 100)}); the blob was not uploaded.`);
    }
    session.searchParams.set('digest', blob.digest);
    await this.pushRequest(repository, { method: 'PUT', url: session, headers: { 'content-type': 'application/octet-stream' }, body: blob.bytes, accept: [] }, signal);
  }

  /**
   * One request of a push with the repository's push token, asked for once (from the challenge to an
   * unauthenticated upload, which names the push scope) and asked for again when it expires.
   */
  private async pushRequest(repository: string, request: Omit<OutsideRequest, 'service'>, signal: AbortSignal | undefined): Promise<OutsideResponse> {
    const send = (token: string) => this.api.fetchOutside({ ...request, service: this.service('registry'), headers: { ...request.headers, authorization: `Bearer ${token}` }, accept: [...request.accept, 401, 403] }, signal);
    const known = this.pushTokens.get(repository);
    let answer = known ? await send(await known) : undefined;
    if (answer === undefined || answer.status === 401) {
      const fresh = this.pushToken(repository, signal);
      this.pushTokens.set(repository, fresh);
      fresh.catch(() => this.pushTokens.delete(repository));
      answer = await send(await fresh);
    }
    if (answer.status === 401 || answer.status === 403) {
      throw new GhsqlError(
        'AUTH',
        `the container registry refused to let the token push to ${repository} (${answer.status}, ${request.method} ${answer.target}): removing a tag pushes a small stand-in manifest, which needs a classic token with write:packages and write access to the package.`,
        answer.status,
      );
    }
    return answer;
  }

  private async pushToken(repository: string, signal: AbortSignal | undefined): Promise<string> {
    const url = new URL(`${this.registry().href.replace(/\/$/, '')}/v2/${repository}/blobs/uploads/`);
    const challenged = await this.api.fetchOutside({ method: 'POST', url, service: this.service('registry'), headers: {}, accept: [401] }, signal);
    if (challenged.status !== 401) {
      throw new GhsqlError('BAD_RESPONSE', `the container registry answered an unauthenticated POST ${challenged.target} with ${challenged.status}, not a challenge; ghsql cannot get a push token from it.`, challenged.status);
    }
    return this.tokenFor(challenged, repository, signal);
  }

  /** The token user's login (GET /user), asked once: /user/… packages live under it on the registry. */
  login(signal?: AbortSignal): Promise<string> {
    this.user ??= (async () => {
      const answer = await this.api.send({ route: 'GET /user' }, signal);
      let login: unknown;
      try {
        login = (JSON.parse(answer.body) as { login?: unknown }).login;
      } catch {
        login = undefined;
      }
      // A login is letters, digits and hyphens; anything else cannot be a basic-auth user name.
      if (typeof login !== 'string' || !/^[A-Za-z0-9-]+$/.test(login)) throw new GhsqlError('BAD_RESPONSE', `GitHub's answer to GET /user has no login ghsql can use (${quotedWhole(String(login), 40)}).`);
      return login;
    })();
    this.user.catch(() => (this.user = undefined));
    return this.user;
  }
}

function urlOrUndefined(text: string, base: string): URL | undefined {
  try {
    return new URL(text, base);
  } catch {
    return undefined;
  }
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** The answer, if it is the manifest asked for: its bytes and Docker-Content-Digest must be the digest (the transport read at most MAX_MANIFEST_BYTES). */
function checked(answer: OutsideResponse, digest: string): Manifest {
  const actual = sha256(answer.bytes);
  if (actual !== digest) {
    throw new GhsqlError('BAD_RESPONSE', `the registry answered GET ${answer.target} with a manifest whose sha256 is ${actual}, not the digest asked for; it is not that manifest, so it is not used (no row, not cached).`);
  }
  const claimed = answer.headers.get('docker-content-digest');
  if (claimed !== null && claimed.trim() !== digest) {
    throw new GhsqlError('BAD_RESPONSE', `the registry answered GET ${answer.target} with Docker-Content-Digest ${quotedWhole(claimed, 80)}, not the digest asked for; the manifest is not used (no row, not cached).`);
  }
  const mediaType = (answer.headers.get('content-type') ?? '').split(';')[0]!.trim();
  return { digest, mediaType, bytes: answer.bytes };
}

/** The realm's `token` (or OAuth's `access_token`): one header value's worth of visible ASCII. */
function bearerToken(answer: OutsideResponse, tokens: Service): string {
  let token: unknown;
  try {
    const body = JSON.parse(answer.body) as { token?: unknown; access_token?: unknown };
    token = body.token ?? body.access_token;
  } catch {
    token = undefined;
  }
  if (typeof token !== 'string' || !/^[\x21-\x7e]{1,8192}$/.test(token)) {
    throw new GhsqlError('BAD_RESPONSE', `${tokens.name} answered GET ${answer.target} without a usable token.`);
  }
  return token;
}
