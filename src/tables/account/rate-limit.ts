import type { Resource } from '../../table/types.js';

// GitHub's rate limits for the token (GET /rate_limit, which does not count against them): one row
// per budget, so a cleanup can check what it has left before it starts, and a report can show it.

export const rateLimit: Resource = {
  table: 'ghsql_rate_limit',
  description: "The token's rate-limit budgets, one row each (core is the REST API's); reading them costs nothing.",
  columns: [
    { name: 'resource', type: 'TEXT', description: 'The budget: core (the REST API), search, graphql, code_search, …' },
    { name: 'quota', type: 'INTEGER', from: { field: 'limit' }, description: 'Requests allowed in the window (GitHub\'s "limit").' },
    { name: 'used', type: 'INTEGER', description: 'Requests used in the current window.' },
    { name: 'remaining', type: 'INTEGER', description: 'Requests left in the current window.' },
    {
      name: 'resets_at',
      type: 'TEXT',
      from: { derive: (item) => new Date(Number(item.reset) * 1000).toISOString().replace(/\.000Z$/, 'Z') },
      description: 'When the window ends and the budget is full again (ISO 8601, UTC).',
    },
  ],
  key: ['resource'],
  parameters: [],
  methods: [{ operationId: 'rate-limit/get', route: 'GET /rate_limit', entriesOf: { field: 'resources', key: 'resource' }, alwaysRevalidate: true }],
  schema: (z) =>
    z.object({ resource: z.string(), limit: z.number().int(), used: z.number().int(), remaining: z.number().int(), reset: z.number().int() }),
  actions: [],
};
