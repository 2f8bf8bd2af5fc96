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
}

export const DEFAULT_DATA_SWITCHES: DataSwitches = {
  listCap: true,
};

export type OrganizationRole = 'admin' | 'member';

/** What a token's user may do beyond their own packages (server.ts's TokenGrant includes it). */
export interface AccountAccess {
  /**
   * Organizations the user belongs to, by login. Members see all of its packages, admins may also
   * delete and restore them; others see its public packages only.
   */
  organizations?: Record<string, OrganizationRole>;
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
