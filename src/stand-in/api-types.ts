// The shapes shared by the operations table (operations.ts), its handlers and the server.

import type { StandInData } from './accounts.js';
import type { PathParams } from './path-parameters.js';

export interface ApiResponse {
  status: number;
  /** JSON text, or a value to serialise; absent for 204. */
  body?: Buffer | object;
  headers?: Record<string, string>;
}

/** Switches that change what the data layer answers (server.ts's StandInSwitches include them). */
export interface DataSwitches {
  /** Enforce GitHub's page × per_page <= 10,000 rule on package lists (benchmarks lift it). */
  listCap: boolean;
  /**
   * Misbehaviour: lists ignore package_type, visibility and state and answer everything the token
   * may see (packages of every type and visibility; active and deleted versions).
   */
  ignoreQueryFilters: boolean;
  /**
   * Misbehaviour: a get answers a different item than the path names: a package get answers the
   * owner's next package (by id, wrapping round); a version get answers the package's next older
   * version (wrapping round), or for a package with one version the next package's newest.
   */
  answerOtherPackage: boolean;
  /**
   * Misbehaviour: each time page 1 of a list is served, a new item is inserted at the front of that
   * list (a package with an id below all others; a version created now), so a client reading the
   * later pages sees the last item of each page twice.
   */
  shiftDuringList: boolean;
  /**
   * Misbehaviour: each time page 1 of a list of packages or of active versions is served, the first
   * item of that list is deleted (as another client might), so the item that began page 2 moves onto
   * page 1, already read: a client reading the later pages misses it, and the list's page count may
   * not change.
   */
  deleteDuringList: boolean;
  /**
   * Misbehaviour: version lists (GET …/versions) answer wrongly: 'not-found' a 404, as for a package
   * the token may not see; 'server-error' a 500; 'invalid' items whose id is a string, against
   * GitHub's schema; 'no-metadata' items without metadata, so without their tags. null: off.
   */
  versionListMisanswer: VersionListMisanswer | null;
}

export type VersionListMisanswer = 'not-found' | 'server-error' | 'invalid' | 'no-metadata';

export const DEFAULT_DATA_SWITCHES: DataSwitches = {
  listCap: true,
  ignoreQueryFilters: false,
  answerOtherPackage: false,
  shiftDuringList: false,
  deleteDuringList: false,
  versionListMisanswer: null,
};

export type OrganizationRole = 'admin' | 'member';

/** A repository's role in a package's "Manage Actions access": what its workflow token may do there. */
export type PackageRole = 'read' | 'write' | 'admin';

/**
 * What kind of token it is: a classic personal access token (the default; OAuth app tokens behave
 * alike), a fine-grained one (github_pat_), which the packages API refuses, or a GitHub App
 * installation token (ghs_, the workflow's GITHUB_TOKEN), which has no user and reaches only the
 * packages its repository was given access to.
 */
export type TokenKindGrant = 'classic' | 'fine-grained' | 'app';

/** What a token's user may do beyond their own packages (server.ts's TokenGrant includes it). */
export interface AccountAccess {
  /** Default: from the token's prefix (ghs_ app, github_pat_ fine-grained), else classic. */
  kind?: TokenKindGrant;
  /**
   * Organizations the user belongs to, by login. Members see all of its packages, admins may also
   * delete and restore them; others see its public packages only. Not for app tokens (no user).
   */
  organizations?: Record<string, OrganizationRole>;
  /**
   * An app token's packages, by `OWNER/PACKAGE_TYPE/PACKAGE_NAME`: its repository's role in each
   * one's Manage Actions access. Any role reads the package; admin also deletes and restores.
   */
  packageRoles?: Record<string, PackageRole>;
}

export interface ApiContext {
  data: StandInData;
  apiBaseUrl: string;
  switches: DataSwitches;
  /** The request's token. */
  access: AccountAccess;
  now: number;
}

/** One of GitHub's operations, as its OpenAPI description names and documents it. */
export interface Operation {
  /** GitHub's own name for it, e.g. packages/delete-package-for-org. */
  operationId: string;
  /** The operation's page in GitHub's REST docs: error bodies link to it. */
  documentationUrl: string;
  /** Classic token scopes; writes to repository-scoped registries also need `repo` (see requiredScopes). */
  scopes: readonly string[];
  handle(request: OperationRequest): ApiResponse;
}

export interface OperationRequest {
  operation: Operation;
  params: PathParams;
  /** The path as received (percent-encoded, without the base path): list links repeat it. */
  rawPath: string;
  query: URLSearchParams;
  rawQuery: string;
  context: ApiContext;
}
