// What kind of token ghsql holds, told by its prefix (GitHub's documented token formats), and what
// each kind can do with the packages API, so that a refusal says what to do about it. Pure: it
// never shows the token, only its kind.

/** ghp_ classic, github_pat_ fine-grained, ghs_ installation (the workflow's GITHUB_TOKEN), gho_ OAuth app, ghu_ GitHub App user. */
export type TokenKind = 'classic' | 'fine-grained' | 'installation' | 'oauth' | 'app-user' | 'unknown';

const PREFIXES: ReadonlyArray<[string, TokenKind]> = [
  ['ghp_', 'classic'],
  ['github_pat_', 'fine-grained'],
  ['ghs_', 'installation'],
  ['gho_', 'oauth'],
  ['ghu_', 'app-user'],
];

export function tokenKind(token: string | undefined): TokenKind {
  if (!token) return 'unknown';
  return PREFIXES.find(([prefix]) => token.startsWith(prefix))?.[1] ?? 'unknown';
}

/** How messages name a kind: by what it is and its prefix, never by its value. */
export function tokenKindName(kind: TokenKind): string {
  switch (kind) {
    case 'classic':
      return 'a classic personal access token (ghp_)';
    case 'fine-grained':
      return 'a fine-grained personal access token (github_pat_)';
    case 'installation':
      return 'the workflow token, or another GitHub App installation token (ghs_)';
    case 'oauth':
      return 'an OAuth app token (gho_)';
    case 'app-user':
      return 'a GitHub App user token (ghu_)';
    case 'unknown':
      return 'a token of no known GitHub format';
  }
}

/** The token's classic scopes, from X-OAuth-Scopes; undefined when GitHub sent none (not a classic or OAuth token). */
export function grantedScopes(headers: Headers): string[] | undefined {
  const header = headers.get('x-oauth-scopes');
  if (header === null) return undefined;
  return header
    .split(',')
    .map((scope) => scope.trim())
    .filter(Boolean);
}

/** Classic scopes that include others, as GitHub's scope list nests them. */
const IMPLIED: Record<string, readonly string[]> = { 'write:packages': ['read:packages'] };

/** What a package request asks of GitHub, read from its method and path (as sent, query included). */
export interface PackageRequest {
  method: string;
  target: string;
}

type Endpoint = 'login' | 'list' | 'user-route' | 'delete' | 'restore' | 'read' | 'other';

/** Which of the packages service's endpoints a request is, for advice. */
function endpointOf({ method, target }: PackageRequest): Endpoint {
  const path = target.split('?')[0]!.replace(/\/+$/, '');
  const own = /^\/user(?:\/|$)/.test(path);
  if (path === '/user' && method === 'GET') return 'login';
  if (/^\/(?:user|orgs\/[^/]+|users\/[^/]+)\/(?:packages|docker\/conflicts)$/.test(path)) return 'list';
  if (own) return 'user-route';
  if (!/^\/(?:orgs|users)\/[^/]+\/packages\//.test(path)) return 'other';
  if (method === 'DELETE') return 'delete';
  if (method === 'POST' && path.endsWith('/restore')) return 'restore';
  return 'read';
}

/** Package types whose registries have repository-scoped permissions on github.com: their writes also need `repo`. */
const REPOSITORY_SCOPED = new Set(['maven', 'docker']);

/** The classic scopes a package request needs, per GitHub's "About permissions for GitHub Packages". */
export function scopesNeeded(request: PackageRequest): string[] {
  const path = request.target.split('?')[0]!;
  if (!/\/packages(?:\/|$)|\/docker\/conflicts$/.test(path)) return [];
  const type = /\/packages\/([^/]+)\//.exec(path)?.[1];
  const write = request.method === 'DELETE' ? 'delete:packages' : request.method === 'POST' ? 'write:packages' : undefined;
  if (write === undefined) return ['read:packages'];
  return ['read:packages', write, ...(type !== undefined && REPOSITORY_SCOPED.has(type) ? ['repo'] : [])];
}

/** The needed scopes the granted ones do not cover, in the order needed. */
export function missingScopes(needed: readonly string[], granted: readonly string[]): string[] {
  const covered = new Set(granted.flatMap((scope) => [scope, ...(IMPLIED[scope] ?? [])]));
  return needed.filter((scope) => !covered.has(scope));
}

const CLASSIC = 'a classic personal access token with read:packages (and delete:packages to delete, write:packages to restore)';

/** A refusal of a package request, with the kind of token refused. */
export interface RefusalFacts extends PackageRequest {
  status: number;
  kind: TokenKind;
}

/**
 * What to do about a 403 or 404 from the packages API given the token's kind, for a token that is
 * not missing a scope (missingScopes says which); undefined when the kind adds nothing to GitHub's
 * own message (a classic or OAuth token).
 */
export function refusalAdvice(facts: RefusalFacts): string | undefined {
  const { status, kind } = facts;
  switch (kind) {
    case 'fine-grained':
      return `Fine-grained tokens cannot use the packages API: use ${CLASSIC}.`;
    case 'app-user':
      return `GitHub App user tokens cannot use the packages API: use ${CLASSIC}.`;
    case 'installation':
      return installationAdvice(endpointOf(facts), status);
    case 'unknown':
      return status === 403 ? `Packages endpoints accept classic personal access tokens only (not fine-grained or GitHub App tokens): use ${CLASSIC}.` : undefined;
    default:
      return undefined;
  }
}

/** The workflow token reads and deletes only named packages its repository was given access to. */
function installationAdvice(endpoint: Endpoint, status: number): string | undefined {
  switch (endpoint) {
    case 'list':
      return `The workflow token cannot list packages: name them (package_name IN (…)) or use ${CLASSIC}.`;
    case 'login':
    case 'user-route':
      return `The workflow token has no user of its own, so GET /user and the /user/… (auth_user_…) tables are refused to it: read the org_… or user_… tables with the owner named, or use ${CLASSIC}.`;
    case 'delete':
    case 'restore':
      return status === 403
        ? "Grant this repository the Admin role in the package's Manage Actions access (the package's settings on GitHub), and give the job `permissions: packages: write`."
        : "The package is missing, or this repository has no access to it: add the repository in the package's Manage Actions access with the Admin role.";
    case 'read':
      return "The package is missing, or this repository has no access to it: add the repository in the package's Manage Actions access (the package's settings on GitHub), and give the job `permissions: packages: read`.";
    case 'other':
      return undefined;
  }
}
