import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findToken, tokenFromEnvironment } from '../../dist/github/auth.js';
import { missingTokenHelp, refusedTokenHelp, tokenAdvice, tokenHost, tokenToCheck } from '../../dist/github/token-host.js';

const GITHUB = 'https://api.github.com';
const GHES = 'https://ghe.example.com/api/v3';
const TENANT = 'https://api.acme.ghe.com';
/** No gh to be found: only the variables count. */
const NO_GH = { PATH: '/nonexistent' };

const ALL_VARIABLES = { GITHUB_TOKEN: 'github', GH_TOKEN: 'gh', GH_ENTERPRISE_TOKEN: 'gh-enterprise', GITHUB_ENTERPRISE_TOKEN: 'github-enterprise', ...NO_GH };

describe('the token for an API URL', () => {
  const bin = mkdtempSync(join(tmpdir(), 'ghsql-gh-'));
  // A fake gh that answers with the host it was asked about, and nothing for a host called "none".
  writeFileSync(join(bin, 'gh'), '#!/bin/sh\n[ "$1 $2 $3" = "auth token --hostname" ] && [ "$4" != none ] && echo "token-for-$4"\n');
  chmodSync(join(bin, 'gh'), 0o755);
  const withGh = { PATH: bin };
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  it('for github.com: GITHUB_TOKEN, then GH_TOKEN, never an enterprise variable', () => {
    expect(findToken(GITHUB, ALL_VARIABLES)).toEqual({ token: 'github', source: 'GITHUB_TOKEN' });
    expect(findToken(GITHUB, { ...ALL_VARIABLES, GITHUB_TOKEN: '' })).toEqual({ token: 'gh', source: 'GH_TOKEN' });
    expect(findToken(GITHUB, { GH_ENTERPRISE_TOKEN: 'x', GITHUB_ENTERPRISE_TOKEN: 'y', ...NO_GH })).toBeUndefined();
    expect(findToken('https://API.GitHub.com/', { GH_TOKEN: 'gh', ...NO_GH })).toEqual({ token: 'gh', source: 'GH_TOKEN' });
  });

  it('for a GitHub Enterprise Server: GH_ENTERPRISE_TOKEN, then GITHUB_ENTERPRISE_TOKEN, never the github.com token', () => {
    expect(findToken(GHES, ALL_VARIABLES)).toEqual({ token: 'gh-enterprise', source: 'GH_ENTERPRISE_TOKEN' });
    expect(findToken(GHES, { ...ALL_VARIABLES, GH_ENTERPRISE_TOKEN: '' })).toEqual({ token: 'github-enterprise', source: 'GITHUB_ENTERPRISE_TOKEN' });
    expect(findToken(GHES, { GITHUB_TOKEN: 'github', GH_TOKEN: 'gh', ...NO_GH })).toBeUndefined();
  });

  it.each(['http://127.0.0.1:8080', 'http://localhost:3000/api/v3', 'http://[::1]:9'])('for the stand-in on this machine (%s): GITHUB_TOKEN', (url) => {
    expect(findToken(url, ALL_VARIABLES)).toEqual({ token: 'github', source: 'GITHUB_TOKEN' });
  });

  it('for a GHE.com tenant: GITHUB_TOKEN, as the GitHub CLI does', () => {
    expect(findToken(TENANT, ALL_VARIABLES)).toEqual({ token: 'github', source: 'GITHUB_TOKEN' });
  });

  it("then gh's token for the host gh knows the API by", () => {
    expect(findToken(GITHUB, withGh)).toEqual({ token: 'token-for-github.com', source: 'gh auth token' });
    expect(findToken(GHES, withGh)).toEqual({ token: 'token-for-ghe.example.com', source: 'gh auth token' });
    expect(findToken(TENANT, withGh)).toEqual({ token: 'token-for-acme.ghe.com', source: 'gh auth token' });
    expect(findToken(GHES, { GITHUB_TOKEN: 'not for this host', ...withGh })).toEqual({ token: 'token-for-ghe.example.com', source: 'gh auth token' });
    expect(findToken('https://none/api/v3', withGh)).toBeUndefined(); // gh logged in elsewhere: it prints nothing
  });

  it('none for an API URL that is not a URL (register reports it)', () => {
    expect(findToken('api.github.com', ALL_VARIABLES)).toBeUndefined();
  });

  it('is the token alone from tokenFromEnvironment', () => {
    expect(tokenFromEnvironment(GHES, ALL_VARIABLES)).toBe('gh-enterprise');
    expect(tokenFromEnvironment(GHES, NO_GH)).toBeUndefined();
  });

  it.each([
    [GITHUB, 'github.com', 'gh auth login'],
    ['https://uploads.github.com', 'github.com', 'gh auth login'],
    [TENANT, 'acme.ghe.com', 'gh auth login --hostname acme.ghe.com'],
    [GHES, 'ghe.example.com', 'gh auth login --hostname ghe.example.com'],
    ['http://127.0.0.1:8080', '127.0.0.1', 'gh auth login'],
  ])('%s is %s to gh', (url, hostname, login) => {
    expect(tokenHost(url)).toMatchObject({ hostname, login });
  });
});

describe('messages about the token', () => {
  const valid = 'a valid classic personal access token with the read:packages scope';

  it('when there is none, name the variables of the host', () => {
    expect(missingTokenHelp(tokenAdvice(GITHUB))).toBe('set GITHUB_TOKEN or GH_TOKEN to a classic personal access token with read:packages (or log in with `gh auth login`)');
    expect(missingTokenHelp(tokenAdvice(GHES))).toBe(
      'set GH_ENTERPRISE_TOKEN or GITHUB_ENTERPRISE_TOKEN to a classic personal access token with read:packages (or log in with `gh auth login --hostname ghe.example.com`)',
    );
  });

  it('when GitHub refuses it, say where it came from', () => {
    expect(refusedTokenHelp(tokenAdvice(GITHUB))).toBe(`Set GITHUB_TOKEN or GH_TOKEN to ${valid}.`);
    expect(refusedTokenHelp(tokenAdvice(GITHUB, 'GH_TOKEN'))).toBe(`It came from GH_TOKEN: set it to ${valid}.`);
    expect(refusedTokenHelp(tokenAdvice(GHES, 'GITHUB_ENTERPRISE_TOKEN'))).toBe(`It came from GITHUB_ENTERPRISE_TOKEN: set it to ${valid}.`);
    expect(refusedTokenHelp(tokenAdvice(GITHUB, 'gh auth token'))).toBe(
      `It came from \`gh auth token --hostname github.com\`: log in again with \`gh auth login --scopes read:packages\`, or set GITHUB_TOKEN or GH_TOKEN to ${valid}.`,
    );
  });

  it('when it cannot be one, say what to check', () => {
    expect(tokenToCheck(tokenAdvice(GITHUB))).toBe('GITHUB_TOKEN, GH_TOKEN or the token option');
    expect(tokenToCheck(tokenAdvice(GHES))).toBe('GH_ENTERPRISE_TOKEN, GITHUB_ENTERPRISE_TOKEN or the token option');
    expect(tokenToCheck(tokenAdvice(GHES, 'gh auth token'))).toBe('`gh auth token --hostname ghe.example.com`');
    expect(tokenToCheck(tokenAdvice(GITHUB, 'GITHUB_TOKEN'))).toBe('GITHUB_TOKEN');
  });
});
