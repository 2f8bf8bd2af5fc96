// GitHub's error bodies: { message, documentation_url, status }, as api.github.com sends them.

import type { ApiResponse } from './api-types.js';

export const REST_DOCS_URL = 'https://docs.github.com/rest';

export function errorBody(message: string, documentationUrl: string, status: number) {
  return { message, documentation_url: documentationUrl, status: String(status) };
}

export function badRequest(message: string, documentationUrl: string): ApiResponse {
  return { status: 400, body: errorBody(message, documentationUrl, 400) };
}

export function notFound(message: string, documentationUrl: string): ApiResponse {
  return { status: 404, body: errorBody(message, documentationUrl, 404) };
}

export function forbidden(message: string, documentationUrl: string): ApiResponse {
  return { status: 403, body: errorBody(message, documentationUrl, 403) };
}
