// The accounts the stand-in serves: the authenticated user ("viewer"), whose token every request
// carries, and other users and organizations whose packages it may see.

import { demoAccounts } from './accounts-data.js';
import { PackageStore } from './package-store.js';
import { demoPackages, type StoredPackage } from './packages-data.js';
import { PackageRenderer, type OwnerType } from './representations.js';
import { VersionStore } from './version-store.js';
import type { StoredVersion } from './versions-data.js';

/** An account's data as options give it: plain data, so that it crosses threads by structured clone. */
export interface AccountData {
  login: string;
  type: OwnerType;
  packages: StoredPackage[];
  /** Versions for some of the packages (by package_id); the others get generated ones. */
  versions?: StoredVersion[];
}

export interface StandInDataOptions {
  /** The authenticated user's login, default 'octo-demo'. */
  login?: string;
  /** The authenticated user's packages, default demoPackages(). */
  packages?: StoredPackage[];
  /**
   * Versions for some of those packages, by package_id; a package given versions has as many
   * active versions as given (its version_count is set from them), the others get generatedVersions().
   */
  versions?: StoredVersion[];
  /** Other users and organizations, default demoAccounts() (acme-corp and hubot-two); [] for none. */
  accounts?: AccountData[];
}

export class Account {
  readonly packages: PackageStore;
  readonly versions: VersionStore;
  readonly renderer: PackageRenderer;

  readonly login: string;
  readonly type: OwnerType;

  /** Copies what it keeps of `data`: deleting and restoring must not change the caller's objects. */
  constructor(apiBaseUrl: string, data: AccountData, now: number) {
    this.login = data.login;
    this.type = data.type;
    this.versions = new VersionStore(data.versions ?? [], now);
    this.packages = new PackageStore(withGivenVersionCounts(data.login, data.packages, this.versions));
    this.renderer = new PackageRenderer(apiBaseUrl, data.login, data.type);
  }
}

/** Checks that given versions name the account's packages, and counts them into version_count. */
function withGivenVersionCounts(login: string, packages: readonly StoredPackage[], versions: VersionStore): StoredPackage[] {
  const ids = new Set<number>();
  for (const pkg of packages) {
    if (ids.has(pkg.id)) throw new Error(`${login} has two packages with the id ${pkg.id}.`);
    ids.add(pkg.id);
  }
  for (const id of versions.packagesWithGivenVersions()) {
    if (!ids.has(id)) throw new Error(`Versions were given for package id ${id}, which ${login} does not have.`);
  }
  return packages.map((pkg) => {
    const count = versions.givenActiveCount(pkg.id);
    return count === undefined ? pkg : { ...pkg, version_count: count };
  });
}

export class StandInData {
  readonly viewer: Account;
  /** By lower-case login: GitHub's logins are not case sensitive. */
  private readonly accounts = new Map<string, Account>();

  constructor(apiBaseUrl: string, options: StandInDataOptions, now = Date.now()) {
    const { login = 'octo-demo', packages = demoPackages(), versions = [], accounts = demoAccounts() } = options;
    this.viewer = this.add(new Account(apiBaseUrl, { login, type: 'User', packages, versions }, now));
    for (const account of accounts) this.add(new Account(apiBaseUrl, account, now));
  }

  /** The user or organization of that login, the token's user included. */
  account(login: string): Account | undefined {
    return this.accounts.get(login.toLowerCase());
  }

  organization(login: string): Account | undefined {
    const account = this.accounts.get(login.toLowerCase());
    return account?.type === 'Organization' ? account : undefined;
  }

  user(login: string): Account | undefined {
    const account = this.accounts.get(login.toLowerCase());
    return account?.type === 'User' ? account : undefined;
  }

  private add(account: Account): Account {
    const key = account.login.toLowerCase();
    if (this.accounts.has(key)) throw new Error(`Two accounts are named ${JSON.stringify(account.login)}.`);
    this.accounts.set(key, account);
    return account;
  }
}
