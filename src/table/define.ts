import { createHash } from 'node:crypto';
import { schemaDescription } from './quick-check.js';
import { actionArguments, pathParameters, requiredArguments, requiredParameters, sentParameters, type Action, type ActionArgument, type Column, type Method, type Resource, type ValueSource } from './types.js';

/**
 * A resource checked once, with the facts the engine derives from it computed once: the native column
 * order (parameters first, so that parameter i is native column i), what each method needs and
 * sends, which list covers a get, and each action's signature. Both threads use it; it is plain
 * derived data and does no I/O.
 */
export interface DefinedTable {
  readonly resource: Resource;
  readonly name: string;
  /** The native virtual table's columns: the parameters in their order, then the others in the resource's. */
  readonly nativeColumns: readonly Column[];
  /** The parameters' names; parameter i is native column i. */
  readonly parameterNames: readonly string[];
  /** Native index of each parameter by name. */
  readonly parameterIndex: ReadonlyMap<string, number>;
  /** Native indexes of the key columns. */
  readonly keyIndexes: readonly number[];
  /** Native indexes of the JSON columns. */
  readonly jsonIndexes: readonly number[];
  /** The methods in the resource's order (most specific first). */
  readonly endpoints: readonly Endpoint[];
  /** The parameters every method needs: a query without them cannot run. */
  readonly requiredParameters: readonly string[];
  readonly actions: readonly DefinedAction[];
  /**
   * What a row of this table is built from: its name and native columns with their value sources (a
   * derive function by its source text), hashed. Rows kept in the response cache are used only for
   * the same shape, so a ghsql that builds rows differently builds them again.
   */
  readonly rowShape: string;
}

export interface Endpoint {
  /** Its position in resource.methods. */
  readonly index: number;
  readonly method: Method;
  /** The parameters a query must bind to choose it: path placeholders (not fixed ones), then required query values. */
  readonly required: readonly string[];
  /** Every parameter it sends when bound. */
  readonly sent: readonly string[];
  /** The route's `{x}` names, in order. */
  readonly path: readonly string[];
  /**
   * For a get: the paginated methods whose lists hold its answer, sent with the same values, each with
   * the one path value the list does not send (the key that picks the row). A query uses the first
   * whose required parameters it binds.
   */
  readonly coveringLists: ReadonlyArray<{ readonly list: Endpoint; readonly key: string; readonly keyIndex: number }>;
}

export interface DefinedArgument extends ActionArgument {
  optional: boolean;
  /** How a value is checked: INTEGER for an INTEGER parameter column, otherwise TEXT. */
  type: 'INTEGER' | 'TEXT';
  /** Allowed values: the argument's own, else its parameter's. */
  allowed?: readonly string[];
}

export interface DefinedAction {
  readonly action: Action;
  readonly arguments: readonly DefinedArgument[];
  /** How many arguments it needs (the route's placeholders). */
  readonly requiredCount: number;
  /** `name(a, b, [c])`, for messages and help. */
  readonly signature: string;
}

const defined = new WeakMap<Resource, DefinedTable>();
const definedLists = new WeakMap<readonly Resource[], readonly DefinedTable[]>();

/** defineTable for every resource of a list, once per list: a description is checked once per process, not per registration. */
export function defineTables(resources: readonly Resource[]): readonly DefinedTable[] {
  let tables = definedLists.get(resources);
  if (!tables) {
    tables = resources.map(defineTable);
    definedLists.set(resources, tables);
  }
  return tables;
}

/** Checks a resource (checkResource) and derives its facts, once per resource object. */
export function defineTable(resource: Resource): DefinedTable {
  const known = defined.get(resource);
  if (known) return known;
  checkResource(resource);
  const parameterNames = resource.parameters.map((parameter) => parameter.column);
  const parameterColumns = parameterNames.map((name) => resource.columns.find((column) => column.name === name)!);
  const nativeColumns = [...parameterColumns, ...resource.columns.filter((column) => !parameterColumns.includes(column))];
  const nativeIndex = (name: string) => nativeColumns.findIndex((column) => column.name === name);
  const parameterIndex = new Map(parameterNames.map((name, index) => [name, index]));
  const endpoints: Endpoint[] = resource.methods.map((method, index) => ({
    index,
    method,
    required: requiredParameters(method),
    sent: sentParameters(method),
    path: pathParameters(method.route),
    coveringLists: [],
  }));
  for (const get of endpoints) {
    if (get.method.paginated) continue;
    const covering = endpoints.flatMap((list) => {
      if (!list.method.paginated) return [];
      const listSends = new Set([...list.sent, ...Object.keys(list.method.fixed ?? {})]);
      const keys = get.path.filter((name) => !listSends.has(name) && !(name in (get.method.fixed ?? {})));
      return keys.length === 1 ? [{ list, key: keys[0]!, keyIndex: parameterIndex.get(keys[0]!)! }] : [];
    });
    Object.assign(get, { coveringLists: covering });
  }
  const actions = resource.actions.map((action): DefinedAction => {
    const args = actionArguments(action).map((argument): DefinedArgument => {
      const index = parameterIndex.get(argument.name);
      const allowed = argument.values ?? (index === undefined ? undefined : resource.parameters[index]!.values);
      return { ...argument, type: index !== undefined && nativeColumns[index]!.type === 'INTEGER' ? 'INTEGER' : 'TEXT', ...(allowed ? { allowed } : {}) };
    });
    return {
      action,
      arguments: args,
      requiredCount: args.filter((argument) => !argument.optional).length,
      signature: `${action.name}(${args.map((argument) => (argument.optional ? `[${argument.name}]` : argument.name)).join(', ')})`,
    };
  });
  const table: DefinedTable = {
    resource,
    name: resource.table,
    nativeColumns,
    parameterNames,
    parameterIndex,
    keyIndexes: resource.key.map(nativeIndex),
    jsonIndexes: nativeColumns.flatMap((column, index) => (column.type === 'JSON' ? [index] : [])),
    endpoints,
    requiredParameters: parameterNames.filter((name) => endpoints.every((endpoint) => endpoint.required.includes(name))),
    actions,
    rowShape: rowShapeOf(resource, nativeColumns),
  };
  defined.set(resource, table);
  return table;
}

/**
 * Which rows kept in the response cache are this table's: rows built for these columns and key, from
 * answers this schema accepts (a column's function is known by its source). The worker adds what
 * else the rows depend on: the values sent, and ghsql's version (read-plan.ts, keptRowsShape).
 */
function rowShapeOf(resource: Resource, nativeColumns: readonly Column[]): string {
  const described = JSON.stringify([resource.table, nativeColumns, resource.key, schemaDescription(resource)], (_key, value: unknown) =>
    typeof value === 'function' ? String(value) : value,
  );
  return createHash('sha256').update(described).digest('hex').slice(0, 32);
}

/**
 * Refuses a resource description with a mistake, at registration, naming the table and the field, in
 * the manner of better-sqlite3's parseTableDefinition: a typo must not become a TypeError at the first
 * query, or a parameter that is silently never sent.
 */
export function checkResource(resource: Resource): void {
  const fail = (message: string): never => {
    throw new TypeError(`ghsql resource ${JSON.stringify(resource.table)}: ${message}`);
  };
  if (!/^[a-z][a-z0-9_]*$/.test(resource.table)) fail('the table name must be lower-case letters, digits and _');
  if (resource.columns.length === 0) fail('has no columns');
  const columns = new Map(resource.columns.map((column) => [column.name, column]));
  if (columns.size !== resource.columns.length) fail(`column ${JSON.stringify(duplicate(resource.columns.map((column) => column.name)))} is defined twice`);
  const parameterNames = resource.parameters.map((parameter) => parameter.column);
  const parameters = new Set(parameterNames);
  if (parameters.size !== parameterNames.length) fail(`parameter ${JSON.stringify(duplicate(parameterNames))} is defined twice`);
  const known = `(parameters: ${parameterNames.join(', ') || 'none'})`;
  for (const name of parameterNames) {
    const column = columns.get(name) ?? fail(`parameter ${JSON.stringify(name)} has no column of that name; a parameter is shown as a column`);
    if (column.type === 'JSON') fail(`parameter ${JSON.stringify(name)} is a JSON column; parameters are TEXT or INTEGER`);
  }
  if (resource.key.length === 0) fail('has no key: name the columns that identify a row (e.g. ["id"])');
  for (const name of resource.key) if (!columns.has(name)) fail(`key column ${JSON.stringify(name)} is not a column`);

  if (resource.methods.length === 0) fail('has no methods');
  const sentBySome = new Set<string>();
  for (const method of resource.methods) {
    const where = `method ${method.operationId}`;
    if (!/^(GET|POST|PUT|PATCH|DELETE) \/\S*$/.test(method.route)) fail(`${where}: route ${JSON.stringify(method.route)} is not "VERB /path" as GitHub documents it`);
    if (!method.route.startsWith('GET ')) fail(`${where}: a table reads; ${method.route} is a write (make it an action)`);
    const fixed = Object.keys(method.fixed ?? {});
    for (const name of fixed) {
      if (!pathParameters(method.route).includes(name)) fail(`${where}: fixed value ${JSON.stringify(name)} is not a placeholder of its route`);
      if (parameters.has(name)) fail(`${where}: ${JSON.stringify(name)} is fixed, so it cannot be a parameter too`);
    }
    for (const name of pathParameters(method.route)) if (!parameters.has(name) && !fixed.includes(name)) fail(`${where}: route placeholder {${name}} is not a parameter ${known}`);
    for (const name of [...(method.query?.required ?? []), ...(method.query?.optional ?? [])]) {
      if (!parameters.has(name)) fail(`${where}: query value ${JSON.stringify(name)} is not a parameter ${known}`);
    }
    for (const name of sentParameters(method)) sentBySome.add(name);
  }
  for (const name of parameterNames) if (!sentBySome.has(name)) fail(`parameter ${JSON.stringify(name)} is sent by no method; make it a plain column, or add it to a method's route or query`);

  for (const column of resource.columns) {
    if (column.from) checkSource(column.from, `column ${JSON.stringify(column.name)}`);
  }
  function checkSource(source: ValueSource, where: string): void {
    if ('field' in source) {
      if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(source.field)) fail(`${where}: field ${JSON.stringify(source.field)} is not a dotted path`);
    } else if ('parameter' in source) {
      if (!parameters.has(source.parameter)) fail(`${where}: takes its value from parameter ${JSON.stringify(source.parameter)}, which is not a parameter ${known}`);
      const silent = resource.methods.find((method) => !sentParameters(method).includes(source.parameter));
      if (silent && !source.otherwise) {
        fail(`${where}: takes its value from the request's ${source.parameter}, but method ${silent.operationId} does not send it; give it an \`otherwise\` source`);
      }
      if (source.otherwise) checkSource(source.otherwise, where);
    } else if (typeof source.derive !== 'function') {
      fail(`${where}: derive must be a function of the item`);
    }
  }

  if (resource.expand !== undefined && typeof resource.expand !== 'function') fail('expand must be a function of the items');
  if (resource.expand && resource.methods.some((method) => !method.paginated)) fail('expand computes rows from whole lists, so every method must be paginated');
  const actionNames = new Set<string>();
  for (const action of resource.actions) {
    const where = `action ${action.name}`;
    if (!/^[a-z][a-z0-9_]*$/.test(action.name)) fail(`${where}: the name must be lower-case letters, digits and _`);
    if (actionNames.has(action.name)) fail(`${where} is defined twice`);
    actionNames.add(action.name);
    const placeholders = requiredArguments(action);
    if (action.route === undefined) {
      if (!action.arguments?.length) fail(`${where}: has neither a route nor arguments; give GitHub's route, or the arguments of a performer`);
      if (typeof resource.performers?.[action.name] !== 'function') fail(`${where}: has no route, so the table needs a performer of that name to carry it out`);
    } else {
      if (action.arguments !== undefined) fail(`${where}: has a route and arguments; its arguments are the route's placeholders`);
      if (!/^(POST|PUT|PATCH|DELETE) \/\S*$/.test(action.route)) fail(`${where}: route ${JSON.stringify(action.route)} is not a write ("DELETE /path", "POST /path")`);
      for (const name of placeholders) if (!parameters.has(name)) fail(`${where}: route placeholder {${name}} is not a parameter ${known}, so its value cannot be checked`);
    }
    for (const argument of action.query ?? []) {
      if (placeholders.includes(argument.name)) fail(`${where}: query argument ${JSON.stringify(argument.name)} is also a route placeholder`);
      if (argument.local && !resource.guards?.[action.name]) fail(`${where}: argument ${JSON.stringify(argument.name)} is read by a guard, but the action has none`);
    }
  }
  for (const name of Object.keys(resource.performers ?? {})) {
    const performed = resource.actions.find((action) => action.name === name);
    if (!performed || performed.route !== undefined) fail(`performer ${JSON.stringify(name)} names no action of the table without a route`);
  }
  for (const [name, guard] of Object.entries(resource.guards ?? {})) {
    if (!actionNames.has(name)) fail(`guard ${JSON.stringify(name)} names no action of the table`);
    if (typeof guard !== 'function') fail(`guard ${JSON.stringify(name)} must be a function`);
  }
}

function duplicate(names: string[]): string | undefined {
  return names.find((name, index) => names.indexOf(name) !== index);
}
