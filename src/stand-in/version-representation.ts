// The JSON GitHub answers for a package version, shaped like the `package-version` schema and the
// examples in GitHub's OpenAPI description.

import type { StoredPackage } from './packages-data.js';
import { packageHtmlUrl, type OwnerPaths } from './representations.js';
import type { StoredVersion } from './versions-data.js';

export function versionJson(owner: OwnerPaths, pkg: StoredPackage, version: StoredVersion): Buffer {
  return Buffer.from(JSON.stringify(versionObject(owner, pkg, version)));
}

export function versionListJson(owner: OwnerPaths, pkg: StoredPackage, versions: readonly StoredVersion[]): Buffer {
  return Buffer.from(JSON.stringify(versions.map((version) => versionObject(owner, pkg, version))));
}

/** Members in the order of GitHub's examples; deleted_at, license and description only when set. */
function versionObject(owner: OwnerPaths, pkg: StoredPackage, version: StoredVersion): object {
  const { id, name, created_at, updated_at, deleted_at, license, description } = version;
  const { packageUrl, versionUrl } = htmlUrls(owner, pkg, version);
  return {
    id,
    name,
    url: `${owner.apiBaseUrl}/${owner.namespace}/packages/${pkg.package_type}/${encodeURIComponent(pkg.name)}/versions/${id}`,
    package_html_url: packageUrl,
    ...(license === undefined ? {} : { license }),
    created_at,
    updated_at,
    // The schema types deleted_at as a string, not nullable: an active version leaves it out.
    ...(deleted_at === null ? {} : { deleted_at }),
    ...(description === undefined ? {} : { description }),
    html_url: versionUrl,
    metadata: metadata(pkg, version),
  };
}

/**
 * Container images live on the owner's package page (…/packages/container/package/NAME, versions at
 * …/packages/container/NAME/ID); the other registries, when linked to a repository, on the
 * repository's (OWNER/REPO/packages/PACKAGE_ID, versions by ?version=NAME), as in GitHub's examples.
 */
function htmlUrls(owner: OwnerPaths, pkg: StoredPackage, version: StoredVersion): { packageUrl: string; versionUrl: string } {
  if (pkg.package_type !== 'container' && pkg.repository !== null) {
    const packageUrl = `https://github.com/${owner.login}/${pkg.repository}/packages/${pkg.id}`;
    return { packageUrl, versionUrl: `${packageUrl}?version=${encodeURIComponent(version.name)}` };
  }
  const packageUrl = packageHtmlUrl(owner, pkg);
  return { packageUrl, versionUrl: `https://github.com/${owner.namespace}/packages/${pkg.package_type}/${encodeURIComponent(pkg.name)}/${version.id}` };
}

function metadata(pkg: StoredPackage, version: StoredVersion): object {
  const { package_type } = pkg;
  if (package_type === 'container') return { package_type, container: { tags: version.tags } };
  // The schema's docker object declares a `tag` array but requires `tags`: both are sent, so that a
  // client reading either name, and a validator checking the schema, are satisfied.
  if (package_type === 'docker') return { package_type, docker: { tag: version.tags, tags: version.tags } };
  return { package_type };
}
