// Matches a request against route keys written as GitHub documents them, 'GET /user/packages/{package_type}',
// so that a route is its documented string and adding one needs no parsing code.

/** Turns a decoded path segment into a parameter's value, or undefined when the segment names nothing. */
export type ParameterParser = (decoded: string) => unknown;

export interface RouteMatch<Key extends string> {
  key: Key;
  /** Parsed path parameters by name. */
  params: Record<string, unknown>;
}

type Segment = { literal: string } | { parameter: string };

interface CompiledRoute<Key extends string> {
  key: Key;
  method: string;
  segments: Segment[];
}

export class RouteTemplates<Key extends string> {
  private readonly routes: CompiledRoute<Key>[];

  /** Checks every key up front: a typo in a route must fail when the module loads, not on a request. */
  constructor(
    keys: readonly Key[],
    private readonly parsers: Readonly<Record<string, ParameterParser>>,
  ) {
    this.routes = keys.map((key) => compile(key, parsers));
  }

  /**
   * The route for a method and a raw (percent-encoded) path. Each segment is decoded on its own, so
   * that %2F stays inside a name ('acme%2Fapi-server') instead of splitting the path.
   */
  match(method: string, rawPath: string): RouteMatch<Key> | undefined {
    const rawSegments = rawPath.split('/');
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== rawSegments.length) continue;
      const params = this.parameters(route.segments, rawSegments);
      if (params) return { key: route.key, params };
    }
    return undefined;
  }

  private parameters(segments: readonly Segment[], rawSegments: readonly string[]): Record<string, unknown> | undefined {
    const params: Record<string, unknown> = {};
    for (const [position, segment] of segments.entries()) {
      const raw = rawSegments[position] ?? '';
      if ('literal' in segment) {
        if (raw !== segment.literal) return undefined;
        continue;
      }
      const decoded = decodeSegment(raw);
      // Every key was checked to name a known parser when it was compiled.
      const value = decoded === undefined || decoded === '' ? undefined : this.parsers[segment.parameter]!(decoded);
      if (value === undefined) return undefined;
      params[segment.parameter] = value;
    }
    return params;
  }
}

function compile<Key extends string>(key: Key, parsers: Readonly<Record<string, ParameterParser>>): CompiledRoute<Key> {
  const match = /^([A-Z]+) (\/\S*)$/.exec(key);
  if (!match) throw new Error(`Route ${JSON.stringify(key)} is not "METHOD /path".`);
  const [, method = '', path = ''] = match;
  const segments = path.split('/').map((text): Segment => {
    const parameter = /^\{(\w+)\}$/.exec(text)?.[1];
    if (parameter === undefined) {
      if (/[{}]/.test(text)) throw new Error(`Route ${JSON.stringify(key)}: segment ${JSON.stringify(text)} must be a literal or one whole {parameter}.`);
      return { literal: text };
    }
    if (!Object.hasOwn(parsers, parameter)) throw new Error(`Route ${JSON.stringify(key)}: no parser for path parameter {${parameter}}.`);
    return { parameter };
  });
  return { key, method, segments };
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined; // malformed percent-encoding names nothing
  }
}
