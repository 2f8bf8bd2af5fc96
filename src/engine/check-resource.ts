import { pathParameters, sentParameters, type Resource, type ValueSource } from './resource.js';

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
    if (!/^(POST|PUT|PATCH|DELETE) \/\S*$/.test(action.route)) fail(`${where}: route ${JSON.stringify(action.route)} is not a write ("DELETE /path", "POST /path")`);
    const placeholders = pathParameters(action.route);
    for (const name of placeholders) if (!parameters.has(name)) fail(`${where}: route placeholder {${name}} is not a parameter ${known}, so its value cannot be checked`);
    for (const argument of action.query ?? []) {
      if (placeholders.includes(argument.name)) fail(`${where}: query argument ${JSON.stringify(argument.name)} is also a route placeholder`);
      if (argument.local && !resource.guards?.[action.name]) fail(`${where}: argument ${JSON.stringify(argument.name)} is read by a guard, but the action has none`);
    }
  }
  for (const [name, guard] of Object.entries(resource.guards ?? {})) {
    if (!actionNames.has(name)) fail(`guard ${JSON.stringify(name)} names no action of the table`);
    if (typeof guard !== 'function') fail(`guard ${JSON.stringify(name)} must be a function`);
  }
}

function duplicate(names: string[]): string | undefined {
  return names.find((name, index) => names.indexOf(name) !== index);
}
