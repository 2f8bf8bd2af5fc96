// The container registry beside the stand-in's API, as ghcr.io answers the part ghsql reads (the
// OCI distribution spec's token auth and manifest GET): a token realm that trades basic auth (the
// login and a GitHub token) for a bearer token of one repository, and manifests by digest, served
// from the accounts' versions so that every active container version has its manifest. DELETE
// answers 405, as ghcr.io does: versions are deleted through the API.

import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Account, StandInData } from './accounts.js';
import type { AccountAccess } from './api-types.js';
import { digestOf, generatedManifest, type StoredManifest } from './images-data.js';
import type { StoredPackage } from './packages-data.js';
import { isVisible } from './permissions.js';
import { VERSION_ID_BLOCK, type StoredVersion } from './versions-data.js';

/** Switches of the registry (server.ts's StandInSwitches include them). */
export interface RegistrySwitches {
  /** The realm the 401 challenge names; null: the registry's own /token. */
  registryRealm: string | null;
  /** Misbehaviour: a manifest whose body, or whose Docker-Content-Digest, is not the digest asked for. */
  manifestMismatch: 'body' | 'header' | null;
  /** The next N registry requests answer 429 with Retry-After registryRetryAfterSeconds. */
  registryTooManyRequests: number;
  registryRetryAfterSeconds: number;
}

export const DEFAULT_REGISTRY_SWITCHES: RegistrySwitches = {
  registryRealm: null,
  manifestMismatch: null,
  registryTooManyRequests: 0,
  registryRetryAfterSeconds: 1,
};

/** What the registry received; never a credential, only what kind it was. */
export interface RegistryRequest {
  method: string;
  /** As received, without the query. */
  path: string;
  query: Record<string, string>;
  status: number;
  authorization: 'none' | 'basic' | 'bearer' | 'other';
  /** Whether the request carried a GitHub token in any form: only the token realm may receive one. */
  githubToken: boolean;
  /** The user name of basic auth. */
  login?: string;
}

export interface RegistryReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** The grants the stand-in's API accepts, by GitHub token (server.ts's TokenGrant), each with its kind. */
export type GrantsByToken = Record<string, AccountAccess & { scopes: string[] }>;

const MANIFEST_PATH = /^\/v2\/(.+)\/manifests\/([^/]+)$/;
/** Repository names as the distribution spec allows them: lower-case path components. */
const REPOSITORY_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

export class RegistryStandIn {
  private readonly log: RegistryRequest[] = [];
  /** Bearer tokens handed out by the realm: whose, and for which repository ('' for none). */
  private readonly issued = new Map<string, { access: AccountAccess; repository: string }>();

  constructor(
    /** http://127.0.0.1:PORT */
    private readonly url: string,
    private readonly data: StandInData,
    private readonly grants: GrantsByToken,
    private readonly switches: RegistrySwitches,
  ) {}

  requests(): RegistryRequest[] {
    return [...this.log];
  }

  clearRequests(): void {
    this.log.length = 0;
  }

  answer(request: IncomingMessage): RegistryReply {
    const target = new URL(request.url ?? '/', this.url);
    const credentials = this.credentials(request.headers.authorization);
    const entry: RegistryRequest = {
      method: request.method ?? 'GET',
      path: target.pathname,
      query: Object.fromEntries(target.searchParams),
      status: 0,
      authorization: credentials.scheme,
      githubToken: credentials.githubToken,
      ...(credentials.login === undefined ? {} : { login: credentials.login }),
    };
    const reply = this.reply(entry.method, target, credentials, request.headers.accept ?? '');
    entry.status = reply.status;
    this.log.push(entry);
    return reply;
  }

  private reply(method: string, target: URL, credentials: Credentials, accept: string): RegistryReply {
    if (this.switches.registryTooManyRequests > 0) {
      this.switches.registryTooManyRequests -= 1;
      return errorReply(429, 'TOOMANYREQUESTS', 'rate limit exceeded', { 'retry-after': String(this.switches.registryRetryAfterSeconds) });
    }
    if (target.pathname === '/token') return method === 'GET' ? this.token(target, credentials) : errorReply(405, 'UNSUPPORTED', 'The operation is unsupported.');
    const manifest = MANIFEST_PATH.exec(target.pathname);
    if (!manifest) return errorReply(404, 'NOT_FOUND', 'not found');
    const [, repository = '', reference = ''] = manifest;
    if (method !== 'GET') return errorReply(405, 'UNSUPPORTED', 'The operation is unsupported.');
    const bearer = credentials.bearer === undefined ? undefined : this.issued.get(credentials.bearer);
    if (!bearer || bearer.repository !== repository) return this.challenge(repository);
    return this.manifest(repository, reference, bearer.access, accept);
  }

  /**
   * ghcr.io's realm: basic auth with any user name (`docker login ghcr.io -u $GITHUB_ACTOR`) and a
   * classic token that may read packages, or an installation token (the workflow's), whose
   * repository's package roles then decide what it reads.
   */
  private token(target: URL, credentials: Credentials): RegistryReply {
    const grant = credentials.password === undefined ? undefined : this.grants[credentials.password];
    const canRead = grant?.kind === 'app' || (grant?.kind === 'classic' && grant.scopes.some((scope) => scope === 'read:packages' || scope === 'write:packages'));
    if (!grant || !canRead || !credentials.login) {
      return errorReply(401, 'UNAUTHORIZED', 'authentication required: give a user name and a classic personal access token with read:packages, or the workflow token');
    }
    const scope = target.searchParams.get('scope') ?? '';
    const repository = /^repository:([^:]+):pull$/.exec(scope)?.[1] ?? '';
    const token = `registry-${randomBytes(12).toString('hex')}`;
    this.issued.set(token, { access: grant, repository });
    return jsonReply(200, { token, expires_in: 300 });
  }

  private challenge(repository: string): RegistryReply {
    const realm = this.switches.registryRealm ?? `${this.url}/token`;
    const service = new URL(this.url).host;
    return errorReply(401, 'UNAUTHORIZED', 'authentication required', {
      'www-authenticate': `Bearer realm="${realm}",service="${service}",scope="repository:${repository}:pull"`,
    });
  }

  private manifest(repository: string, reference: string, access: AccountAccess, accept: string): RegistryReply {
    const found = REPOSITORY_NAME.test(repository) ? this.packageOf(repository, access) : undefined;
    if (!found) return errorReply(404, 'NAME_UNKNOWN', 'repository name not known to registry');
    const version = found.owner.versions.of(found.pkg).list('active').find((candidate) => candidate.name === reference);
    const manifest = version && manifestOf(found.pkg, version);
    if (!manifest) return errorReply(404, 'MANIFEST_UNKNOWN', 'manifest unknown');
    // ghcr.io answers a manifest only in a media type the client accepts.
    const accepted = accept.split(',').map((type) => type.split(';')[0]!.trim());
    if (!accepted.includes(manifest.mediaType) && !accepted.includes('*/*')) {
      return errorReply(404, 'MANIFEST_UNKNOWN', `manifest found, but the accept header does not list its media type ${manifest.mediaType}`);
    }
    let body = Buffer.from(manifest.body);
    let digest = reference;
    if (this.switches.manifestMismatch === 'body') body = Buffer.from(`${manifest.body}\n`);
    if (this.switches.manifestMismatch === 'header') digest = digestOf(`${manifest.body}\n`);
    return { status: 200, headers: { 'content-type': manifest.mediaType, 'docker-content-digest': digest, 'content-length': String(body.length), ...API_VERSION }, body };
  }

  /** `owner/name…`: the package of that owner the access may see. */
  private packageOf(repository: string, access: AccountAccess): { owner: Account; pkg: StoredPackage } | undefined {
    const [login = '', ...rest] = repository.split('/');
    const owner = this.data.account(login);
    const pkg = owner?.packages.findActive('container', rest.join('/'));
    return owner && pkg && isVisible(owner, pkg, { data: this.data, access }) ? { owner, pkg } : undefined;
  }

  private credentials(authorization: string | undefined): Credentials {
    if (authorization === undefined) return { scheme: 'none', githubToken: false };
    const [scheme = '', value = ''] = authorization.trim().split(/\s+/, 2);
    if (/^basic$/i.test(scheme)) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const login = colon === -1 ? decoded : decoded.slice(0, colon);
      const password = colon === -1 ? '' : decoded.slice(colon + 1);
      return { scheme: 'basic', login, password, githubToken: Object.hasOwn(this.grants, password) };
    }
    if (/^bearer$/i.test(scheme)) return { scheme: 'bearer', bearer: value, githubToken: Object.hasOwn(this.grants, value) };
    return { scheme: 'other', githubToken: Object.keys(this.grants).some((token) => authorization.includes(token)) };
  }
}

interface Credentials {
  scheme: RegistryRequest['authorization'];
  githubToken: boolean;
  login?: string;
  password?: string;
  bearer?: string;
}

/** A version's manifest: its own, or the generated one its name is the digest of; none for a name that is neither. */
function manifestOf(pkg: StoredPackage, version: StoredVersion): StoredManifest | undefined {
  if (version.manifest) return version.manifest;
  const generated = generatedManifest(pkg.id, version.id - pkg.id * VERSION_ID_BLOCK);
  return digestOf(generated.body) === version.name ? generated : undefined;
}

const API_VERSION = { 'docker-distribution-api-version': 'registry/2.0' };

function jsonReply(status: number, body: object, headers: Record<string, string> = {}): RegistryReply {
  const bytes = Buffer.from(JSON.stringify(body));
  return { status, headers: { 'content-type': 'application/json', 'content-length': String(bytes.length), ...API_VERSION, ...headers }, body: bytes };
}

/** The distribution spec's error body. */
function errorReply(status: number, code: string, message: string, headers: Record<string, string> = {}): RegistryReply {
  return jsonReply(status, { errors: [{ code, message }] }, headers);
}

