// The JSON GitHub answers for a package, shaped like the `package` schema and its examples in
// GitHub's OpenAPI description: a full simple-user owner (a user or an organization) and, when
// linked, a minimal-repository.

import type { StoredPackage } from './packages-data.js';

type UrlFields = { [field: `${string}_url`]: string };

export type OwnerType = 'User' | 'Organization';

/** Where an owner's packages live, on the API and on github.com. */
export interface OwnerPaths {
  readonly apiBaseUrl: string;
  readonly login: string;
  /** users/<login> or orgs/<login>, as GitHub's package URLs name the owner. */
  readonly namespace: string;
}

interface SimpleUserJson extends UrlFields {
  login: string;
  id: number;
  node_id: string;
  gravatar_id: string;
  url: string;
  type: OwnerType;
  site_admin: boolean;
}

interface MinimalRepositoryJson extends UrlFields {
  id: number;
  node_id: string;
  name: string;
  full_name: string;
  private: boolean;
  owner: SimpleUserJson;
  description: string | null;
  fork: boolean;
  url: string;
}

const USER_URL_SUFFIXES = {
  followers_url: '/followers',
  following_url: '/following{/other_user}',
  gists_url: '/gists{/gist_id}',
  starred_url: '/starred{/owner}{/repo}',
  subscriptions_url: '/subscriptions',
  organizations_url: '/orgs',
  repos_url: '/repos',
  events_url: '/events{/privacy}',
  received_events_url: '/received_events',
};

const REPOSITORY_URL_SUFFIXES = {
  forks_url: '/forks',
  keys_url: '/keys{/key_id}',
  collaborators_url: '/collaborators{/collaborator}',
  teams_url: '/teams',
  hooks_url: '/hooks',
  issue_events_url: '/issues/events{/number}',
  events_url: '/events',
  assignees_url: '/assignees{/user}',
  branches_url: '/branches{/branch}',
  tags_url: '/tags',
  blobs_url: '/git/blobs{/sha}',
  git_tags_url: '/git/tags{/sha}',
  git_refs_url: '/git/refs{/sha}',
  trees_url: '/git/trees{/sha}',
  statuses_url: '/statuses/{sha}',
  languages_url: '/languages',
  stargazers_url: '/stargazers',
  contributors_url: '/contributors',
  subscribers_url: '/subscribers',
  subscription_url: '/subscription',
  commits_url: '/commits{/sha}',
  git_commits_url: '/git/commits{/sha}',
  comments_url: '/comments{/number}',
  issue_comment_url: '/issues/comments{/number}',
  contents_url: '/contents/{+path}',
  compare_url: '/compare/{base}...{head}',
  merges_url: '/merges',
  archive_url: '/{archive_format}{/ref}',
  downloads_url: '/downloads',
  issues_url: '/issues{/number}',
  pulls_url: '/pulls{/number}',
  milestones_url: '/milestones{/number}',
  notifications_url: '/notifications{?since,all,participating}',
  labels_url: '/labels{/name}',
  releases_url: '/releases{/id}',
  deployments_url: '/deployments',
};

function prefixed(base: string, suffixes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(suffixes).map(([field, suffix]) => [field, base + suffix]));
}

/** The package's page on github.com. */
export function packageHtmlUrl(owner: OwnerPaths, pkg: StoredPackage): string {
  return `https://github.com/${owner.namespace}/packages/${pkg.package_type}/package/${encodeURIComponent(pkg.name)}`;
}

/** A stable id in [min, min + span) derived from text (FNV-1a), so ids survive restarts. */
function stableNumber(text: string, min: number, span: number): number {
  let hash = 0x811c9dc5;
  for (let position = 0; position < text.length; position++) {
    hash = Math.imul(hash ^ text.charCodeAt(position), 0x01000193) >>> 0;
  }
  return min + (hash % span);
}

/** GitHub's legacy global node ids: base64 of "<type code>:<Type><id>". */
function legacyNodeId(typeCode: string, typeName: string, id: number): string {
  return Buffer.from(`${typeCode}:${typeName}${id}`).toString('base64');
}

/** The members of a JSON object without its braces, to splice into a larger object. */
function members(object: object): string {
  return JSON.stringify(object).slice(1, -1);
}

const ARRAY_START = Buffer.from('[');
const ARRAY_END = Buffer.from(']');
const COMMA = Buffer.from(',');
const REPOSITORY_KEY = Buffer.from(',"repository":');

/**
 * Writes packages' JSON for one owner and API base URL. The owner and repository objects are most
 * of a package's bytes and the same in every package, so each is encoded once and spliced in:
 * that makes a 100-package page about twice as cheap as JSON.stringify over the whole array.
 */
export class PackageRenderer implements OwnerPaths {
  /** For messages that name the user, like GitHub's rate-limit message. */
  readonly ownerId: number;
  readonly namespace: string;
  private readonly owner: SimpleUserJson;
  private readonly ownerJson: Buffer;
  private readonly repositoryJson = new Map<string, Buffer>();

  constructor(
    readonly apiBaseUrl: string,
    readonly login: string,
    ownerType: OwnerType = 'User',
  ) {
    const id = stableNumber(login, 10_000_000, 90_000_000);
    this.ownerId = id;
    this.namespace = `${ownerType === 'User' ? 'users' : 'orgs'}/${login}`;
    const url = `${apiBaseUrl}/users/${login}`;
    this.owner = {
      login,
      id,
      node_id: ownerType === 'User' ? legacyNodeId('04', 'User', id) : legacyNodeId('012', 'Organization', id),
      avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
      gravatar_id: '',
      url,
      html_url: `https://github.com/${login}`,
      ...prefixed(url, USER_URL_SUFFIXES),
      type: ownerType,
      site_admin: false,
    };
    this.ownerJson = Buffer.from(JSON.stringify(this.owner));
  }

  /** The owner as a simple-user object: what GET /user answers for the token's user. */
  userJson(): Buffer {
    return this.ownerJson;
  }

  packageJson(pkg: StoredPackage): Buffer {
    const parts: Buffer[] = [];
    this.appendPackage(pkg, parts);
    return Buffer.concat(parts);
  }

  packageListJson(packages: readonly StoredPackage[]): Buffer {
    const parts: Buffer[] = [ARRAY_START];
    packages.forEach((pkg, position) => {
      if (position > 0) parts.push(COMMA);
      this.appendPackage(pkg, parts);
    });
    parts.push(ARRAY_END);
    return Buffer.concat(parts);
  }

  /** Members in the order of GitHub's examples; `repository` only when the package has one. */
  private appendPackage(pkg: StoredPackage, parts: Buffer[]): void {
    const { id, name, package_type, version_count, visibility, created_at, updated_at } = pkg;
    const encodedName = encodeURIComponent(name);
    const url = `${this.apiBaseUrl}/${this.namespace}/packages/${package_type}/${encodedName}`;
    const html_url = packageHtmlUrl(this, pkg);
    parts.push(
      Buffer.from(`{${members({ id, name, package_type })},"owner":`),
      this.ownerJson,
      Buffer.from(`,${members({ version_count, visibility, url, created_at, updated_at })}`),
    );
    if (pkg.repository !== null) parts.push(REPOSITORY_KEY, this.repository(pkg.repository));
    parts.push(Buffer.from(`,${members({ html_url })}}`));
  }

  private repository(name: string): Buffer {
    const cached = this.repositoryJson.get(name);
    if (cached) return cached;
    const fullName = `${this.login}/${name}`;
    const id = stableNumber(fullName, 100_000_000, 800_000_000);
    const url = `${this.apiBaseUrl}/repos/${fullName}`;
    // The stand-in knows repositories by name only: all are public, original and undescribed.
    const repository: MinimalRepositoryJson = {
      id,
      node_id: legacyNodeId('010', 'Repository', id),
      name,
      full_name: fullName,
      private: false,
      owner: this.owner,
      html_url: `https://github.com/${fullName}`,
      description: null,
      fork: false,
      url,
      ...prefixed(url, REPOSITORY_URL_SUFFIXES),
    };
    const json = Buffer.from(JSON.stringify(repository));
    this.repositoryJson.set(name, json);
    return json;
  }
}
