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
  try {
    // The stand-in answers only the part of zod's builder that ghsql's schemas use; anything else throws.
    const built: unknown = resource.schema(builder as unknown as typeof z);
    return built instanceof QuickType ? built.check : undefined;
  } catch {
    return undefined;
  }
}

/** A node of the stand-in builder: its check, and the modifiers zod's types have that ghsql's schemas use. */
class QuickType {
  constructor(readonly check: Check) {}

  /** zod 4's int(): a safe integer. */
  int(): QuickType {
    const inner = this.check;
    return new QuickType((value) => inner(value) && Number.isSafeInteger(value));
  }

  optional(): QuickType {
    const inner = this.check;
    return new QuickType((value) => value === undefined || inner(value));
  }

  nullable(): QuickType {
    const inner = this.check;
    return new QuickType((value) => value === null || inner(value));
  }

  nullish(): QuickType {
    const inner = this.check;
    return new QuickType((value) => value === undefined || value === null || inner(value));
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const builder = {
  string: () => new QuickType((value) => typeof value === 'string'),
  /** zod 4's number() refuses NaN and ±Infinity (JSON.parse gives Infinity for 1e400). */
  number: () => new QuickType((value) => typeof value === 'number' && Number.isFinite(value)),
  boolean: () => new QuickType((value) => typeof value === 'boolean'),
  enum: (values: unknown) => {
    if (!Array.isArray(values) || !values.every((value) => typeof value === 'string')) throw new TypeError('only an enum of strings has a quick check');
    const allowed = new Set<unknown>(values);
    return new QuickType((value) => allowed.has(value));
  },
  array: (element: unknown) => {
    if (!(element instanceof QuickType)) throw new TypeError('not a quick type');
    const { check } = element;
    return new QuickType((value) => Array.isArray(value) && value.every(check));
  },
  /** zod 4's object(): an object, not an array; keys it does not name pass (it strips them). */
  object: (shape: unknown) => {
    if (!isRecord(shape) || !Object.values(shape).every((field) => field instanceof QuickType)) throw new TypeError('not a shape of quick types');
    const fields = Object.entries(shape as Record<string, QuickType>).map(([key, field]) => [key, field.check] as const);
    return new QuickType((value) => isRecord(value) && fields.every(([key, check]) => check(value[key])));
  },
};

/** The items of a list answer, checked: an array whose every element passes. */
export function quickListCheck(resource: Pick<Resource, 'schema'>): ((body: unknown) => body is Item[]) | undefined {
  const item = quickCheck(resource);
  return item && ((body: unknown): body is Item[] => Array.isArray(body) && body.every(item));
}
