// The one operation about the account itself rather than its packages.

import type { ApiResponse, OperationRequest } from './api-types.js';

/** The token's user; the stand-in answers GitHub's public fields, which include all ghsql reads (login). */
export function getAuthenticatedUser({ context }: OperationRequest): ApiResponse {
  return { status: 200, body: context.data.viewer.renderer.userJson() };
}
