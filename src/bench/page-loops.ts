// The baselines: what a user would write without ghsql, one page after another.

import { request } from '@octokit/request';
import { parseLinkHeader } from '../github/link-header.js';
import type { PackageType } from '../stand-in/packages-data.js';

export interface ApiTarget {
  url: string;
  token: string;
}

const firstPageUrl = (api: ApiTarget, packageType: PackageType) => `${api.url}/user/packages?package_type=${packageType}&per_page=100`;

/** A hand-written @octokit/request loop that follows rel="next"; returns the number of packages. */
export async function countWithOctokitLoop(api: ApiTarget, packageType: PackageType): Promise<number> {
  const headers = { authorization: `token ${api.token}` };
  let count = 0;
  for (let url: string | undefined = firstPageUrl(api, packageType); url; ) {
    const route: string = `GET ${url}`;
    const response = await request(route, { headers });
    count += (response.data as unknown[]).length;
    url = parseLinkHeader(response.headers.link)['next'];
  }
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
