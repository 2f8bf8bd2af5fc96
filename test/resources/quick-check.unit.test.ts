import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { quickCheck, quickListCheck, schemaDescription } from '../../dist/table/quick-check.js';
import { resources } from '../../dist/tables/index.js';
import type { Item, Resource } from '../../dist/table/types.js';
import { openapi } from '../stand-in/openapi-document.js';

// The quick check is what lets a first query run without loading zod; it must give zod's verdict on
// every value, or a row zod would refuse reaches SQLite. Each table's schema is tried on GitHub's own
// examples and on those examples changed at random (fields dropped, or replaced by any JSON value,
// a number past the safe integers, Infinity, a fraction, null), against zod itself.

/** Items GitHub's description gives as examples, and a few of ghsql's own for the tables it has none for. */
const examples: Item[] = [
  ...Object.values(openapi.components.examples).flatMap(({ value }) => (Array.isArray(value) ? value : [value])),
  { resource: 'core', limit: 5000, used: 1, remaining: 4999, reset: 1_764_950_400 },
  { id: 1, title: 'Title', print: 1, details: { author: { name: 'Author 1' } } },
] as Item[];

// The engine's synthetic table (plain JavaScript, as the worker imports it).
const { shelfBooks } = (await import(new URL('../engine/synthetic/resource.mjs', import.meta.url).href)) as { shelfBooks: Resource };
const tables: Array<Pick<Resource, 'table' | 'schema'>> = [...resources, shelfBooks];

/** Every path to a value inside `value` (keys and indexes), the root included. */
function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Array.isArray(value) ? value.map((_, index) => index) : Object.keys(value);
  return [prefix, ...children.flatMap((key) => pathsOf((value as Record<string | number, unknown>)[key], [...prefix, key]))];
}

const ODD_VALUES = [null, 1.5, -0, 2 ** 53, -(2 ** 53), Infinity, -Infinity, NaN, '', '1', true, false, [], {}, [1], { id: 1 }, 'container', 'private', 0];

/** A change to one value: drop it (from its object or array), or put another in its place. */
const change = fc.record({
  at: fc.nat(),
  to: fc.oneof(fc.constant<'drop'>('drop'), fc.constantFrom(...ODD_VALUES).map((value) => ({ value })), fc.jsonValue().map((value) => ({ value }))),
});

function changed(example: unknown, changes: ReadonlyArray<{ at: number; to: 'drop' | { value: unknown } }>): unknown {
  let value: unknown = structuredClone(example);
  for (const { at, to } of changes) {
    const paths = pathsOf(value);
    const path = paths[at % paths.length]!;
    // A copy of the value put in: the odd values are shared, and a change must never reach them (or make a cycle).
    const replacement = to === 'drop' ? undefined : structuredClone(to.value);
    if (path.length === 0) {
      value = replacement;
      continue;
    }
    const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], value) as Record<string | number, unknown>;
    const key = path.at(-1)!;
    if (to !== 'drop') parent[key] = replacement;
    else if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  }
  return value;
}

describe('the quick check of a schema, without zod', () => {
  it.each(tables.map((table) => [table.table, table] as const))('%s: gives zod’s verdict on GitHub’s examples, changed at random', (_, table) => {
    const quick = quickCheck(table)!;
    expect(quick).toBeTypeOf('function');
    const schema = table.schema(z);
    const list = z.array(schema);
    const quickList = quickListCheck(table)!;
    const seeds = examples.filter((example) => schema.safeParse(example).success);
    expect(seeds.length).toBeGreaterThan(0); // each table has an example it accepts
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(change, { minLength: 0, maxLength: 4 }), (seed, changes) => {
        const value = changed(seed, changes);
        expect(quick(value)).toBe(schema.safeParse(value).success);
        const page = [seed, value];
        expect(quickList(page)).toBe(list.safeParse(page).success);
      }),
      { numRuns: 400 },
    );
  });

  it('gives zod’s verdict on any JSON value', () => {
    fc.assert(
      fc.property(fc.constantFrom(...tables), fc.jsonValue(), (table, value) => {
        expect(quickCheck(table)!(value)).toBe(table.schema(z).safeParse(value).success);
      }),
      { numRuns: 500 },
    );
  });

  it('gives zod’s verdict for each part of the builder it stands in for, on values near and far', () => {
    const schema = <Z extends typeof z>(zod: Z) =>
      zod.object({
        count: zod.number(),
        whole: zod.number().int(),
        label: zod.string(),
        flag: zod.boolean().nullable(),
        kind: zod.enum(['a', 'b']).optional(),
        nested: zod.object({ note: zod.string().optional(), list: zod.array(zod.number().int()).nullish() }).nullish(),
        empty: zod.object({}).optional(),
      });
    const quick = quickCheck({ schema })!;
    const zodSchema = schema(z);
    // Mostly the right kind, so that one wrong field at a time decides the verdict.
    const near = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ arbitrary, weight: 6 }, { arbitrary: fc.constantFrom(...ODD_VALUES), weight: 1 }, { arbitrary: fc.jsonValue(), weight: 1 });
    const value = fc.record(
      {
        count: near(fc.double()),
        whole: near(fc.integer()),
        label: near(fc.string()),
        flag: near(fc.boolean()),
        kind: near(fc.constantFrom('a', 'b', 'c')),
        nested: near(fc.record({ note: near(fc.string()), list: near(fc.array(near(fc.integer()))) }, { requiredKeys: [] })),
        empty: near(fc.constant({})),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(near(value), (candidate) => {
        expect(quick(candidate)).toBe(zodSchema.safeParse(candidate).success);
      }),
      { numRuns: 2000 },
    );
  });

  it('has none for a schema that uses more of zod than it knows: zod checks it', () => {
    expect(quickCheck({ schema: (zod) => zod.object({ id: zod.number().int().positive() }) })).toBeUndefined();
    expect(quickCheck({ schema: (zod) => zod.union([zod.object({ a: zod.string() }), zod.object({ b: zod.string() })]) as never })).toBeUndefined();
    expect(quickCheck({ schema: (zod) => zod.object({ kind: zod.literal('a') }) })).toBeUndefined();
  });

  it('describes a schema by what it accepts, however its code is arranged (rows kept in the cache are keyed by it)', () => {
    const author = (zod: typeof z) => zod.object({ name: zod.string() });
    const inline = (zod: typeof z) => zod.object({ id: zod.number().int(), author: zod.object({ name: zod.string() }) });
    const helped = (zod: typeof z) => zod.object({ id: zod.number().int(), author: author(zod) });
    const nullableName = (zod: typeof z) => zod.object({ id: zod.number().int(), author: zod.object({ name: zod.string().nullable() }) });
    const renamed = (zod: typeof z) => zod.object({ id: zod.number().int(), writer: zod.object({ name: zod.string() }) });
    expect(schemaDescription({ schema: helped })).toBe(schemaDescription({ schema: inline }));
    expect(schemaDescription({ schema: nullableName })).not.toBe(schemaDescription({ schema: inline }));
    expect(schemaDescription({ schema: renamed })).not.toBe(schemaDescription({ schema: inline }));
    expect(new Set(tables.map((table) => schemaDescription(table))).size).toBeGreaterThan(1);
    // Beyond the stand-in: the function's source.
    const positive = (zod: typeof z) => zod.object({ id: zod.number().int().positive() });
    expect(schemaDescription({ schema: positive })).toContain('positive()');
  });
});
