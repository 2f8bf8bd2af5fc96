import type { z } from 'zod';
import type { Item, Resource } from './types.js';

/** Whether a value passes a schema. */
export type Check = (value: unknown) => boolean;

/**
 * A resource's schema as a plain predicate, built without zod: zod takes 80–95 ms to import, most of
 * a fresh registration's first query, and ghsql uses it only to check. The resource's schema
 * function is run against a stand-in for zod's builder that knows what ghsql's schemas use (object,
 * string, number().int(), boolean, enum, array, optional, nullable, nullish) and builds the same
 * check zod would make. A schema that uses anything else gets no quick check (undefined) and is
 * checked by zod. A value the quick check refuses is checked by zod too, which says what is wrong;
 * test/resources/quick-check.unit.test.ts holds the two to the same verdict.
 */
export function quickCheck(resource: Pick<Resource, 'schema'>): Check | undefined {
  return quickType(resource)?.check;
}

/**
 * What a resource's schema accepts, as text: the same text for schemas that accept the same values,
 * however their code is arranged (shared helpers included). For a schema beyond the stand-in, its
 * function's source. Rows kept in the response cache are keyed by it (DefinedTable.rowShape), so rows
 * one description let through are never served to another that would refuse their answer.
 */
export function schemaDescription(resource: Pick<Resource, 'schema'>): string {
  return quickType(resource)?.description ?? `function ${String(resource.schema)}`;
}

function quickType(resource: Pick<Resource, 'schema'>): QuickType | undefined {
  try {
    // The stand-in answers only the part of zod's builder that ghsql's schemas use; anything else throws.
    const built: unknown = resource.schema(builder as unknown as typeof z);
    return built instanceof QuickType ? built : undefined;
  } catch {
    return undefined;
  }
}

/** A node of the stand-in builder: its check, its description, and the modifiers zod's types have that ghsql's schemas use. */
class QuickType {
  constructor(
    readonly check: Check,
    readonly description: string,
  ) {}

  /** zod 4's int(): a safe integer. */
  int(): QuickType {
    const inner = this.check;
    return new QuickType((value) => inner(value) && Number.isSafeInteger(value), `${this.description}.int()`);
  }

  optional(): QuickType {
    const inner = this.check;
    return new QuickType((value) => value === undefined || inner(value), `${this.description}.optional()`);
  }

  nullable(): QuickType {
    const inner = this.check;
    return new QuickType((value) => value === null || inner(value), `${this.description}.nullable()`);
  }

  nullish(): QuickType {
    const inner = this.check;
    return new QuickType((value) => value === undefined || value === null || inner(value), `${this.description}.nullish()`);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const builder = {
  string: () => new QuickType((value) => typeof value === 'string', 'string'),
  /** zod 4's number() refuses NaN and ±Infinity (JSON.parse gives Infinity for 1e400). */
  number: () => new QuickType((value) => typeof value === 'number' && Number.isFinite(value), 'number'),
  boolean: () => new QuickType((value) => typeof value === 'boolean', 'boolean'),
  enum: (values: unknown) => {
    if (!Array.isArray(values) || !values.every((value) => typeof value === 'string')) throw new TypeError('only an enum of strings has a quick check');
    const allowed = new Set<unknown>(values);
    return new QuickType((value) => allowed.has(value), `enum(${JSON.stringify(values)})`);
  },
  array: (element: unknown) => {
    if (!(element instanceof QuickType)) throw new TypeError('not a quick type');
    const { check, description } = element;
    return new QuickType((value) => Array.isArray(value) && value.every(check), `array(${description})`);
  },
  /** zod 4's object(): an object, not an array; keys it does not name pass (it strips them). */
  object: (shape: unknown) => {
    if (!isRecord(shape) || !Object.values(shape).every((field) => field instanceof QuickType)) throw new TypeError('not a shape of quick types');
    const entries = Object.entries(shape as Record<string, QuickType>);
    const fields = entries.map(([key, field]) => [key, field.check] as const);
    const description = `object({${entries.map(([key, field]) => `${JSON.stringify(key)}: ${field.description}`).join(', ')}})`;
    return new QuickType((value) => isRecord(value) && fields.every(([key, check]) => check(value[key])), description);
  },
};

/** The items of a list answer, checked: an array whose every element passes. */
export function quickListCheck(resource: Pick<Resource, 'schema'>): ((body: unknown) => body is Item[]) | undefined {
  const item = quickCheck(resource);
  return item && ((body: unknown): body is Item[] => Array.isArray(body) && body.every(item));
}
