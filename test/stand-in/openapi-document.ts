// GitHub's OpenAPI description of the packages endpoints (a copy of the reference file, so that a
// bare clone can run the tests), typed as far as the tests read it.

import { readFileSync } from 'node:fs';

export interface ResponseObject {
  $ref?: string;
  content?: Record<string, { schema: object }>;
}

export interface OperationObject {
  operationId: string;
  description: string;
  externalDocs: { url: string };
  parameters?: Array<{ name?: string; $ref?: string; in?: string }>;
  responses: Record<string, ResponseObject>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components: { responses: Record<string, ResponseObject>; examples: Record<string, { value: unknown }> };
}

// The fixture is GitHub's description; its shape is what this interface names.
export const openapi = JSON.parse(readFileSync(new URL('../fixtures/github-packages-openapi.json', import.meta.url), 'utf8')) as OpenApiDocument;

/** Every documented operation as 'METHOD /path', the form of the stand-in's operation keys. */
export function documentedOperations(): string[] {
  return Object.entries(openapi.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
}

export function documentedOperation(key: string): OperationObject | undefined {
  const [method = '', path = ''] = key.split(' ');
  return openapi.paths[path]?.[method.toLowerCase()];
}
