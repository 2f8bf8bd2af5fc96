// The baselines: what a user would write without ghsql, one page after another.

import { request } from '@octokit/request';
import { parseLinkHeader } from '../dist/github/link-header.js';
import type { PackageType } from '../dist/stand-in/packages-data.js';

export interface ApiTarget {
  url: string;
  token: string;
}

/** Where an owner's packages are: the token's user's, or an organization's. */
export type OwnerPath = '/user' | `/orgs/${string}`;

const firstPageUrl = (api: ApiTarget, packageType: PackageType, owner: OwnerPath = '/user') => `${api.url}${owner}/packages?package_type=${packageType}&per_page=100`;

/** A hand-written @octokit/request loop that follows rel="next", page after page. */
async function followWithOctokit(first: string, token: string, onPage: (items: Array<{ name: string }>) => void): Promise<void> {
  const headers = { authorization: `token ${token}` };
  for (let url: string | undefined = first; url; ) {
    const route: string = `GET ${url}`;
    const response = await request(route, { headers });
    onPage(response.data as Array<{ name: string }>);
    url = parseLinkHeader(response.headers.link)['next'];
  }
}

/** The packages of a type with that loop; returns their number. */
export async function countWithOctokitLoop(api: ApiTarget, packageType: PackageType): Promise<number> {
  let count = 0;
  await followWithOctokit(firstPageUrl(api, packageType), api.token, (items) => (count += items.length));
  return count;
}

/** The least any client must do for a list: fetch each page and JSON.parse it. */
export async function countWithFetchLoop(api: ApiTarget, packageType: PackageType): Promise<number> {
  const headers = { authorization: `token ${api.token}`, accept: 'application/vnd.github+json' };
  let count = 0;
  for (let url: string | undefined = firstPageUrl(api, packageType); url; ) {
    const response = await fetch(url, { headers });
    count += (JSON.parse(await response.text()) as unknown[]).length;
    url = parseLinkHeader(response.headers.get('link'))['next'];
  }
  return count;
}

/** Every version of every package of a type, as one would write it (and the peers do): the list, then each package's versions in turn. */
export async function countVersionsWithOctokitLoop(api: ApiTarget, packageType: PackageType, owner: OwnerPath = '/user'): Promise<number> {
  const names: string[] = [];
  await followWithOctokit(firstPageUrl(api, packageType, owner), api.token, (items) => names.push(...items.map((item) => item.name)));
  let count = 0;
  for (const name of names) {
    await followWithOctokit(`${api.url}${owner}/packages/${packageType}/${encodeURIComponent(name)}/versions?per_page=100`, api.token, (items) => (count += items.length));
  }
  return count;
}

/** One @octokit/request call for the first page of ten: the baseline of a LIMIT 10 query. */
export async function firstTenWithOctokit(api: ApiTarget, packageType: PackageType): Promise<number> {
  const response = await request('GET /user/packages', {
    baseUrl: api.url,
    headers: { authorization: `token ${api.token}` },
    package_type: packageType,
    per_page: 10,
  });
  return (response.data as unknown[]).length;
}
