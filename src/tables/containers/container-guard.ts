import { GhsqlError } from '../../errors.js';
import type { ActionArgument, ActionGuard, Method } from '../../table/types.js';
import { containerGraph, readGraphVersions, registryOwner } from '../oci/image-graph.js';

/** The value of a version delete's last argument that deletes without the image check. */
export const BREAK_IMAGES = 'break-images';

export const OVERRIDE_ARGUMENT: ActionArgument = { name: 'override', local: true, values: [BREAK_IMAGES] };

/**
 * The guard of a container version delete: it refuses a version that a present image keeps (a
 * platform child or attestation of any image, a referrer or cosign signature of a tagged one: see
 * ContainerGraph.keeping) and names the image and the link, so nothing is sent. The rule for removing
 * a whole image: delete the image first; what it needed is then free to go, later in the same
 * statement or after it.
 *
 * Each delete reads the package's versions list again, as GitHub has it now (writes are spaced, and a
 * push or a tag move may land between two of them); manifests are by digest, so each is read once.
 * What the statement deleted is kept in `statement` and counted gone even if the list still shows it
 * (GitHub's list may lag a delete just made, and a dry run sends none).
 */
export function keepImagesWhole(list: Method, ownerParameter: string | undefined): ActionGuard {
  return async (args, context) => {
    if (args['package_type'] !== 'container' || args['override'] === BREAK_IMAGES) return;
    const packageName = args['package_name']!;
    const params = { ...(ownerParameter ? { [ownerParameter]: args[ownerParameter]! } : {}), package_type: 'container', package_name: packageName };
    const deletedKey = JSON.stringify(['deleted', list.route, params]);
    const deleted = (context.statement.get(deletedKey) as ReadonlySet<number> | undefined) ?? new Set<number>();
    const id = Number(args['package_version_id']);
    let graph: ReturnType<typeof containerGraph>;
    try {
      const owner = await registryOwner(ownerParameter, args, context);
      const items = (await context.list(list, params)).filter((item) => !deleted.has(Number(item['id'])));
      // A 404 reads as an empty list: without the version in it, nothing says what it is.
      // NOT_FOUND: with keep-going, that row's outcome is "already gone" (no DELETE is sent either way).
      if (!items.some((item) => Number(item['id']) === id)) {
        throw new GhsqlError(
          'NOT_FOUND',
          `GitHub's list of ${packageName}'s active versions does not include it: the version may not exist, or the token may not see the package's versions (reading them needs read:packages). If it exists, try again in a minute.`,
        );
      }
      // A graph ghsql cannot build (manifests nested too deep) cannot say either.
      graph = containerGraph(packageName, await readGraphVersions(owner, packageName, items, context));
    } catch (error) {
      if (!(error instanceof GhsqlError)) throw error;
      throw new GhsqlError(
        error.code,
        `cannot tell whether an image needs it, so it was not deleted: ${error.message.replace(/(?<![.!?])$/, '.')} To delete it without this check, pass '${BREAK_IMAGES}' as the last argument.`,
        error.status,
      );
    }
    const needing = graph.keeping
      .filter((link) => link.version_id === id)
      .sort((a, b) => a.depth - b.depth);
    if (needing.length > 0) {
      const images = [...new Set(needing.map((link) => link.image))];
      const first = needing[0]!;
      throw new GhsqlError(
        'PROTECTED',
        `refused, nothing was sent: it is the ${first.why}${needing.length > 1 ? ` (and ${needing.length - 1} more link${needing.length > 2 ? 's' : ''})` : ''}, so deleting it would break ${listed(images)}. ` +
          `Delete ${images.length === 1 ? 'that image' : 'those images'} first (version ${listed([...new Set(needing.map((link) => String(link.image_id)))])}); what ${images.length === 1 ? 'it needs' : 'they need'} can then go, in the same statement or later. ` +
          `Or pass '${BREAK_IMAGES}' as the last argument to delete it anyway.`,
      );
    }
    return () => context.statement.set(deletedKey, new Set([...deleted, id]));
  };
}

function listed(names: readonly string[]): string {
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}
