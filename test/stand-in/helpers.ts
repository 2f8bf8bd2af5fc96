// Shared by the stand-in tests: a fetch that checks what every GitHub answer carries.

import { expect } from 'vitest';
import type { StandIn } from '../../dist/stand-in/thread.js';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body; undefined when there is none. */
  body: unknown;
}

export interface CallOptions {
  method?: string;
  /** Defaults to the stand-in's token; null sends no Authorization header. */
  token?: string | null;
  headers?: Record<string, string>;
}

/** Calls the stand-in and checks the headers GitHub puts on every API answer. */
export async function call(standIn: StandIn, pathAndQuery: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/vnd.github+json', ...options.headers };
  const token = options.token === undefined ? standIn.token : options.token;
  if (token !== null) headers['authorization'] = `token ${token}`;
  const response = await fetch(standIn.url + pathAndQuery, { method: options.method ?? 'GET', headers });
  const text = await response.text();
  expectGitHubHeaders(response.status, response.headers, text);
  return { status: response.status, headers: response.headers, text, body: text === '' ? undefined : JSON.parse(text) };
}

function expectGitHubHeaders(status: number, headers: Headers, text: string): void {
  for (const name of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-used']) {
    expect(headers.get(name), name).toMatch(/^\d+$/);
  }
  expect(headers.get('x-ratelimit-resource')).toBe('core');
  expect(headers.get('x-github-api-version-selected')).toBe('2022-11-28');
  expect(headers.get('x-github-media-type')).toBe('github.v3; format=json');
  expect(headers.get('x-github-request-id')).toMatch(/^[0-9A-F]+(:[0-9A-F]+)+$/);
  if (status === 204 || status === 304) {
    expect(text).toBe('');
    expect(headers.get('content-type')).toBeNull();
  } else {
    expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
  }
}

export function header(answer: Answer, name: string): string {
  const value = answer.headers.get(name);
  expect(value, name).not.toBeNull();
  return value ?? '';
}

/** The rel → URL pairs of a Link header, in order. */
export function linkRelations(link: string | null): Array<[string, string]> {
  if (link === null) return [];
  return link.split(', ').map((part) => {
    const match = /^<([^>]+)>; rel="(\w+)"$/.exec(part);
    expect(match, part).not.toBeNull();
    return [match?.[2] ?? '', match?.[1] ?? ''];
  });
}

/** Packages as the tests see them; the schema test checks the full shape. */
export interface PackageBody {
  id: number;
  name: string;
  package_type: string;
  visibility: string;
  url: string;
  html_url: string;
  repository?: { name: string; full_name: string };
}

export interface ErrorBody {
  message: string;
  documentation_url: string;
}

export const listPath = (query: string) => `/user/packages?${query}`;
export const packagePath = (type: string, name: string) => `/user/packages/${type}/${encodeURIComponent(name)}`;

/** Package versions as the tests see them; the schema test checks the full shape. */
export interface VersionBody {
  id: number;
  name: string;
  url: string;
  html_url: string;
  package_html_url: string;
  created_at: string;
  updated_at: string;
  deleted_at?: string;
  metadata: { package_type: string; container?: { tags: string[] }; docker?: { tag: string[]; tags: string[] } };
}

export const versionsPath = (type: string, name: string, query = '') => `${packagePath(type, name)}/versions${query === '' ? '' : `?${query}`}`;
export const versionPath = (type: string, name: string, id: number) => `${packagePath(type, name)}/versions/${id}`;

/** Paths under another owner: orgs/NAME or users/NAME. */
export const ownerListPath = (owner: string, query: string) => `/${owner}/packages?${query}`;
export const ownerPackagePath = (owner: string, type: string, name: string) => `/${owner}/packages/${type}/${encodeURIComponent(name)}`;
