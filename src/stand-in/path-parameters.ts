// The path parameters GitHub's package routes take, and how each is read from a path segment. A
// segment that does not parse (an unknown package type, a version id that is not a number) matches
// no route, so the answer is GitHub's plain 404.

import { isPackageType, type PackageType } from './packages-data.js';
import type { ParameterParser } from './route-template.js';

export interface PathParams {
  org?: string;
  username?: string;
  package_type?: PackageType;
  package_name?: string;
  package_version_id?: number;
}

const asIs = (decoded: string) => decoded;

export const PATH_PARAMETER_PARSERS: { readonly [Name in keyof PathParams]-?: ParameterParser } = {
  org: asIs,
  username: asIs,
  package_type: (decoded) => (isPackageType(decoded) ? decoded : undefined),
  package_name: asIs,
  // Digits only, and small enough to be an exact JavaScript number.
  package_version_id: (decoded) => (/^\d{1,15}$/.test(decoded) ? Number(decoded) : undefined),
};

/** A parameter the route's template guarantees; a handler asking for one its route lacks is a stand-in bug. */
export function required<Name extends keyof PathParams>(params: PathParams, name: Name): NonNullable<PathParams[Name]> {
  const value = params[name];
  if (value === undefined || value === null) throw new Error(`The route has no {${name}} parameter.`);
  return value;
}
