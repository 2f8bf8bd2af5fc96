// The container registry beside the stand-in's API, as ghcr.io answers the part ghsql uses (the
// OCI distribution spec's token auth, manifest GET, and a push: blob HEAD and upload, manifest PUT):
// a token realm that trades basic auth (the login and a GitHub token) for a bearer token of one
// repository, and manifests by digest, served from the accounts' versions so that every active
// container version has its manifest. A pushed manifest becomes a version of the package, with the
// tag moved to it, as on ghcr.io. DELETE answers 405, as ghcr.io does: versions are deleted through
// the API.

import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Account, StandInData } from './accounts.js';
import type { AccountAccess } from './api-types.js';
import { digestOf, generatedManifest, type StoredManifest } from './images-data.js';
import type { StoredPackage } from './packages-data.js';
import { landDuePushes, type ImagePush } from './image-pushes.js';
import type { StateFile } from './state-file.js';
import { isVisible, seesPrivatePackages } from './permissions.js';
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
  /** Delay before every registry response; null: latencyMs, as the API's (a benchmark sets them apart). */
  registryLatencyMs: number | null;
}

export const DEFAULT_REGISTRY_SWITCHES: RegistrySwitches = {
  registryRealm: null,
  manifestMismatch: null,
  registryTooManyRequests: 0,
  registryRetryAfterSeconds: 1,
  registryLatencyMs: null,
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
  /** Registry requests being answered when this one arrived, itself included: how concurrent the client was. */
  inFlight: number;
}

export interface RegistryReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** The grants the stand-in's API accepts, by GitHub token (server.ts's TokenGrant), each with its kind. */
export type GrantsByToken = Record<string, AccountAccess & { scopes: string[] }>;

const MANIFEST_PATH = /^\/v2\/(.+)\/manifests\/([^/]+)$/;
const BLOB_PATH = /^\/v2\/(.+)\/blobs\/(sha256:[0-9a-f]{64})$/;
const UPLOAD_PATH = /^\/v2\/(.+)\/blobs\/uploads\/([0-9a-f]*)$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** What a push's manifest must be to land: an image manifest or index. */
const PUSHABLE_MEDIA_TYPES = new Set([
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);
/** Repository names as the distribution spec allows them: lower-case path components. */
const REPOSITORY_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

export class RegistryStandIn {
  private readonly log: RegistryRequest[] = [];
  /** Bearer tokens handed out by the realm: whose, for which repository ('' for none), and whether it may push. */
  private readonly issued = new Map<string, { access: AccountAccess; repository: string; push: boolean }>();
  /** Blobs pushed, by repository (the stand-in's own images name blobs it never holds: only manifests are read). */
  private readonly blobs = new Map<string, Set<string>>();
  /** Blob uploads started (POST) and not yet finished (PUT): their repository, by session id. */
  private readonly uploads = new Map<string, string>();

  constructor(
    /** http://127.0.0.1:PORT */
    private readonly url: string,
    private readonly data: StandInData,
    private readonly grants: GrantsByToken,
    private readonly switches: RegistrySwitches,
    /** Where pushes are kept, when the state outlasts the process. */
    private readonly stateFile?: StateFile,
  ) {}

  requests(): RegistryRequest[] {
    return [...this.log];
  }

  clearRequests(): void {
    this.log.length = 0;
  }

  /** `body`: what the request sent (a push's blob or manifest); `inFlight`: see RegistryRequest.inFlight. */
  answer(request: IncomingMessage, body: Buffer, inFlight: number): RegistryReply {
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
      inFlight,
    };
    const reply = this.reply(entry.method, target, credentials, { accept: request.headers.accept ?? '', contentType: request.headers['content-type'] ?? '', body });
    entry.status = reply.status;
    this.log.push(entry);
    return reply;
  }

  private reply(method: string, target: URL, credentials: Credentials, sent: Sent): RegistryReply {
    if (this.switches.registryTooManyRequests > 0) {
      this.switches.registryTooManyRequests -= 1;
      return errorReply(429, 'TOOMANYREQUESTS', 'rate limit exceeded', { 'retry-after': String(this.switches.registryRetryAfterSeconds) });
    }
    if (target.pathname === '/token') return method === 'GET' ? this.token(target, credentials) : errorReply(405, 'UNSUPPORTED', 'The operation is unsupported.');
    const path = target.pathname;
    const manifest = MANIFEST_PATH.exec(path);
    const blob = BLOB_PATH.exec(path);
    const upload = UPLOAD_PATH.exec(path);
    const repository = (manifest ?? blob ?? upload)?.[1];
    if (repository === undefined) return errorReply(404, 'NOT_FOUND', 'not found');
    const push = method === 'POST' || method === 'PUT';
    const known = (manifest && (method === 'GET' || method === 'PUT')) || (blob && (method === 'GET' || method === 'HEAD')) || (upload && (method === 'POST' || method === 'PUT'));
    if (!known) return errorReply(405, 'UNSUPPORTED', 'The operation is unsupported.');
    const bearer = credentials.bearer === undefined ? undefined : this.issued.get(credentials.bearer);
    if (!bearer || bearer.repository !== repository) return this.challenge(repository, push);
    if (push && !bearer.push) return errorReply(403, 'DENIED', 'permission_denied: The token provided does not match expected scopes.');
    if (blob) return this.blobAnswer(repository, blob[2]!, bearer.access, method);
    if (upload) return method === 'POST' ? this.startUpload(repository, bearer.access) : this.finishUpload(repository, upload[2]!, target, sent.body);
    if (method === 'PUT') return this.putManifest(repository, manifest![2]!, bearer.access, sent);
    return this.manifest(repository, manifest![2]!, bearer.access, sent.accept);
  }

  private blobAnswer(repository: string, digest: string, access: AccountAccess, method: string): RegistryReply {
    if (!this.packageOf(repository, access)) return errorReply(404, 'NAME_UNKNOWN', 'repository name not known to registry');
    if (!this.blobs.get(repository)?.has(digest)) return errorReply(404, 'BLOB_UNKNOWN', 'blob unknown to registry');
    const reply = { status: 200, headers: { 'docker-content-digest': digest, 'content-type': 'application/octet-stream', ...API_VERSION }, body: Buffer.alloc(0) };
    // The stand-in keeps digests, not bytes: only the HEAD a push makes is answered.
    return method === 'HEAD' ? reply : errorReply(405, 'UNSUPPORTED', 'The stand-in registry answers HEAD for blobs, not GET.');
  }

  private startUpload(repository: string, access: AccountAccess): RegistryReply {
    if (!this.pushTarget(repository, access)) return errorReply(404, 'NAME_UNKNOWN', 'repository name not known to registry');
    const session = randomBytes(16).toString('hex');
    this.uploads.set(session, repository);
    return { status: 202, headers: { location: `/v2/${repository}/blobs/uploads/${session}`, 'docker-upload-uuid': session, 'content-length': '0', ...API_VERSION }, body: Buffer.alloc(0) };
  }

  /** A monolithic PUT that completes a session: the body's sha256 must be the `digest` query value. */
  private finishUpload(repository: string, session: string, target: URL, body: Buffer): RegistryReply {
    if (this.uploads.get(session) !== repository) return errorReply(404, 'BLOB_UPLOAD_UNKNOWN', 'blob upload unknown to registry');
    const digest = target.searchParams.get('digest') ?? '';
    if (!DIGEST.test(digest) || sha256(body) !== digest) return errorReply(400, 'DIGEST_INVALID', 'provided digest did not match uploaded content');
    this.uploads.delete(session);
    const held = this.blobs.get(repository) ?? new Set<string>();
    held.add(digest);
    this.blobs.set(repository, held);
    return { status: 201, headers: { location: `/v2/${repository}/blobs/${digest}`, 'docker-content-digest': digest, 'content-length': '0', ...API_VERSION }, body: Buffer.alloc(0) };
  }

  /**
   * A manifest pushed under a tag (or its digest): every blob it names must have been pushed, and it
   * lands as a version of the package, the tag moved to it (image-pushes.ts), as ghcr.io does.
   */
  private putManifest(repository: string, reference: string, access: AccountAccess, sent: Sent): RegistryReply {
    const owner = this.pushTarget(repository, access);
    if (!owner) return errorReply(404, 'NAME_UNKNOWN', 'repository name not known to registry');
    const mediaType = sent.contentType.split(';')[0]!.trim();
    const body = sent.body.toString('utf8');
    let parsed: { mediaType?: unknown; config?: { digest?: unknown }; layers?: Array<{ digest?: unknown }> };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      return errorReply(400, 'MANIFEST_INVALID', 'manifest invalid: not JSON');
    }
    if (!PUSHABLE_MEDIA_TYPES.has(mediaType) || (parsed.mediaType !== undefined && parsed.mediaType !== mediaType)) {
      return errorReply(400, 'MANIFEST_INVALID', `manifest invalid: the Content-Type ${JSON.stringify(mediaType)} is not its media type`);
    }
    const digest = sha256(sent.body);
    if (DIGEST.test(reference) ? reference !== digest : !/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(reference)) {
      return errorReply(400, 'MANIFEST_INVALID', 'manifest invalid: the reference is neither its digest nor a tag');
    }
    const named = [parsed.config?.digest, ...(parsed.layers ?? []).map((layer) => layer.digest)].filter((value): value is string => typeof value === 'string');
    const missing = named.find((blob) => !this.blobs.get(repository)?.has(blob));
    if (missing) return errorReply(400, 'MANIFEST_BLOB_UNKNOWN', `blob unknown to registry: ${missing}`);
    const [, ...rest] = repository.split('/');
    const push: ImagePush = { owner: owner.login, packageName: rest.join('/'), manifests: [{ mediaType, body }], tags: DIGEST.test(reference) ? [] : [reference], afterDeletes: 0 };
    const now = Date.now();
    landDuePushes(this.data, [push], now);
    this.stateFile?.record({ push, at: now });
    return { status: 201, headers: { location: `/v2/${repository}/manifests/${digest}`, 'docker-content-digest': digest, 'content-length': '0', ...API_VERSION }, body: Buffer.alloc(0) };
  }

  /** The account a push to `owner/name…` lands in: one whose private packages the token's user sees (their own, an organization's). */
  private pushTarget(repository: string, access: AccountAccess): Account | undefined {
    if (!REPOSITORY_NAME.test(repository) || !repository.includes('/')) return undefined;
    const owner = this.data.account(repository.split('/')[0]!);
    return owner && seesPrivatePackages(owner, { data: this.data, access }) ? owner : undefined;
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
    const scope = /^repository:([^:]+):(pull|pull,push|push,pull)$/.exec(target.searchParams.get('scope') ?? '');
    const repository = scope?.[1] ?? '';
    // As ghcr.io's realm: push is granted only to a token that may write packages (else pull alone).
    const push = scope !== null && scope[2] !== 'pull' && grant.scopes.includes('write:packages');
    const token = `registry-${randomBytes(12).toString('hex')}`;
    this.issued.set(token, { access: grant, repository, push });
    return jsonReply(200, { token, expires_in: 300 });
  }

  private challenge(repository: string, push: boolean): RegistryReply {
    const realm = this.switches.registryRealm ?? `${this.url}/token`;
    const service = new URL(this.url).host;
    return errorReply(401, 'UNAUTHORIZED', 'authentication required', {
      'www-authenticate': `Bearer realm="${realm}",service="${service}",scope="repository:${repository}:${push ? 'pull,push' : 'pull'}"`,
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

/** What a request sent besides its path and credentials. */
interface Sent {
  accept: string;
  contentType: string;
  body: Buffer;
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
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

