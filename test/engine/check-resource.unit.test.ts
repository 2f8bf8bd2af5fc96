import { describe, expect, it } from 'vitest';
import { checkResource } from '../../dist/table/define.js';
import type { Resource } from '../../dist/table/types.js';
import { resources } from '../../dist/tables/index.js';

const valid = (): Resource => ({
  table: 'widgets',
  description: 'Widgets.',
  columns: [
    { name: 'id', type: 'INTEGER', description: '' },
    { name: 'kind', type: 'TEXT', from: { parameter: 'kind' }, description: '' },
    { name: 'widget_id', type: 'INTEGER', from: { field: 'id' }, description: '' },
    { name: 'colour', type: 'TEXT', from: { parameter: 'colour', otherwise: { field: 'paint.colour' } }, description: '' },
  ],
  key: ['id'],
  parameters: [
    { column: 'kind', example: 'a', description: '' },
    { column: 'widget_id', example: '1', description: '' },
    { column: 'colour', example: 'red', description: '' },
  ],
  methods: [
    { operationId: 'w/get', route: 'GET /widgets/{kind}/{widget_id}' },
    { operationId: 'w/list', route: 'GET /widgets/{kind}', query: { optional: ['colour'] }, paginated: {} },
  ],
  schema: (z) => z.object({}),
  actions: [{ name: 'delete_widget', description: '', route: 'DELETE /widgets/{kind}/{widget_id}', outcome: 'deleted', dryRunOutcome: 'would delete' }],
});

describe('a resource description is checked at registration', () => {
  it("accepts ghsql's own resources and a valid synthetic one", () => {
    for (const resource of resources) expect(() => checkResource(resource)).not.toThrow();
    expect(() => checkResource(valid())).not.toThrow();
  });

  it.each<[string, (resource: Resource) => void, RegExp]>([
    ['a typo in a route placeholder', (r) => (r.methods[0]!.route = 'GET /widgets/{knd}/{widget_id}'), /method w\/get: route placeholder \{knd\} is not a parameter \(parameters: kind, widget_id, colour\)/],
    ['a typo in a query value', (r) => (r.methods[1]!.query = { optional: ['color'] }), /method w\/list: query value "color" is not a parameter/],
    ['a parameter without a column', (r) => r.parameters.push({ column: 'size', example: '1', description: '' }), /parameter "size" has no column of that name/],
    ['a parameter no method sends', (r) => (r.methods[1]!.query = {}), /parameter "colour" is sent by no method/],
    ['a column twice', (r) => r.columns.push({ name: 'id', type: 'TEXT', description: '' }), /column "id" is defined twice/],
    ['a key that is not a column', (r) => (r.key = ['uuid']), /key column "uuid" is not a column/],
    ['a value from a parameter a method cannot send', (r) => delete (r.columns[3]!.from as { otherwise?: unknown }).otherwise, /column "colour": takes its value from the request's colour, but method w\/get does not send it; give it an `otherwise` source/],
    ['a source naming an unknown parameter', (r) => (r.columns[1]!.from = { parameter: 'knd' }), /column "kind": takes its value from parameter "knd", which is not a parameter/],
    ['a write as a table method', (r) => (r.methods[0]!.route = 'DELETE /widgets/{kind}/{widget_id}'), /a table reads; DELETE \/widgets\/\{kind\}\/\{widget_id\} is a write/],
    ['an action placeholder that is not a parameter', (r) => (r.actions[0]!.route = 'DELETE /widgets/{kind}/{id}'), /action delete_widget: route placeholder \{id\} is not a parameter/],
    ['an action that reads', (r) => (r.actions[0]!.route = 'GET /widgets/{kind}'), /action delete_widget: route "GET \/widgets\/\{kind\}" is not a write/],
    ['a JSON parameter', (r) => (r.columns[1]!.type = 'JSON'), /parameter "kind" is a JSON column/],
    ['a fixed value that is no placeholder', (r) => (r.methods[1]!.fixed = { size: 'xl' }), /method w\/list: fixed value "size" is not a placeholder of its route/],
    ['a fixed value that is a parameter too', (r) => (r.methods[1]!.fixed = { kind: 'a' }), /method w\/list: "kind" is fixed, so it cannot be a parameter too/],
    ['an expand over a method that is not a list', (r) => (r.expand = async (items) => items), /expand computes rows from whole lists, so every method must be paginated/],
    ['a guard of no action', (r) => (r.guards = { delete_gadget: async () => undefined }), /guard "delete_gadget" names no action of the table/],
    ['a local argument without a guard', (r) => (r.actions[0]!.query = [{ name: 'force', local: true }]), /action delete_widget: argument "force" is read by a guard, but the action has none/],
  ])('refuses %s, naming the table and the field', (_, breakIt, message) => {
    const resource = valid();
    breakIt(resource);
    expect(() => checkResource(resource)).toThrow(TypeError);
    expect(() => checkResource(resource)).toThrow(/^ghsql resource "widgets": /);
    expect(() => checkResource(resource)).toThrow(message);
  });

  it('takes a fixed route value instead of a parameter, and a guard with its local argument', () => {
    const resource = valid();
    resource.methods = [{ operationId: 'w/list', route: 'GET /widgets/{kind}/{shape}', fixed: { shape: 'round' }, query: { optional: ['colour'] }, paginated: {} }];
    resource.parameters = resource.parameters.filter((parameter) => parameter.column !== 'widget_id');
    resource.actions[0]!.route = 'DELETE /widgets/{kind}';
    resource.actions[0]!.query = [{ name: 'force', local: true, values: ['yes'] }];
    resource.guards = { delete_widget: async () => undefined };
    resource.expand = async (items) => items;
    expect(() => checkResource(resource)).not.toThrow();
  });
});
