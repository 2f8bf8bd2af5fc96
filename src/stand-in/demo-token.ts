/**
 * The stand-in's default token. Deliberately unlike GitHub's formats (ghp_…, github_pat_…) so that
 * no secret scanner flags it. A module of its own so that thread.ts can name it without loading the
 * server on the main thread.
 */
export const DEMO_TOKEN = 'ghsql-demo-token';
