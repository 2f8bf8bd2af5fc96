/** Facts from GitHub's OpenAPI description of the packages service (see shared/reference). */
export const PACKAGE_TYPES = ['npm', 'maven', 'rubygems', 'docker', 'nuget', 'container'] as const;

/** GitHub lists at most 10,000 items of one list (page × per_page ≤ 10,000). */
export const LIST_CAP = 10_000;

/** The package_type parameter, the same on every packages table. */
export const packageTypeParameter = {
  column: 'package_type',
  values: PACKAGE_TYPES,
  example: 'container',
  description: 'The type of package.',
};

/** GitHub refuses these deletes with a 400; each says what to do instead. */
export const DOWNLOADS_REFUSAL = {
  when: '5,000',
  explain: 'it is public and has a version downloaded more than 5,000 times, which GitHub does not let you delete; contact GitHub Support, or make it private first if that is allowed for it.',
};

export const ORG_OWNER = {
  name: 'org',
  example: 'acme-corp',
  description: 'The organization.',
  notFoundMeans: 'No such organization, or the token cannot see it (for an organization that restricts access, the token needs to be authorized for it).',
  deleteNeeds: 'Needs admin permissions in the organization and, for container, npm, NuGet and RubyGems packages, admin permissions on the package.',
};

export const USER_OWNER = {
  name: 'username',
  example: 'octocat',
  description: "The user's handle.",
  notFoundMeans: 'No such user.',
  deleteNeeds: 'For container, npm, NuGet and RubyGems packages, needs admin permissions on the package.',
};
