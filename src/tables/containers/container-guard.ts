import { GhsqlError } from '../../errors.js';
import type { ActionArgument, ActionGuard, Method } from '../../table/types.js';
import { containerGraph, imageTags, readGraphVersions, registryOwner, type GraphVersion } from '../oci/image-graph.js';

/** The value of a version delete's last argument that deletes without the image check. */
export const BREAK_IMAGES = 'break-images';

export const OVERRIDE_ARGUMENT: ActionArgument = { name: 'override', local: true, values: [BREAK_IMAGES] };

/**
 * The guard of a container version delete: it refuses a version that a kept (tagged) image needs (a
 * platform child, an attestation, a referrer, a cosign signature) and names the image and the link,
 * so nothing is sent. The rule for removing a whole image: delete the tagged version first; what it
 * needed is then free to go, later in the same statement or after it. The package's graph is read
 * once per statement (the versions list and the manifests it lacks), and each delete the guard lets
 * through is taken out of it, so a bulk delete in one package costs one read.
 */
export function keepImagesWhole(list: Method, ownerParameter: string | undefined): ActionGuard {
  return async (args, context) => {
    if (args['package_type'] !== 'container' || args['override'] === BREAK_IMAGES) return;
    const packageName = args['package_name']!;
    const params = { ...(ownerParameter ? { [ownerParameter]: args[ownerParameter]! } : {}), package_type: 'container', package_name: packageName };
    const key = JSON.stringify([list.route, params]);
    let versions = context.statement.get(key) as GraphVersion[] | undefined;
    if (!versions) {
      try {
        const owner = await registryOwner(ownerParameter, args, context);
        versions = await readGraphVersions(owner, packageName, await context.list(list, params), context);
      } catch (error) {
        if (!(error instanceof GhsqlError)) throw error;
        throw new GhsqlError(
          error.code,
          `cannot tell whether a kept image needs it, so it was not deleted: ${error.message} To delete it without this check, pass '${BREAK_IMAGES}' as the last argument.`,
          error.status,
        );
      }
      context.statement.set(key, versions);
    }
    const id = Number(args['package_version_id']);
    const needing = containerGraph(packageName, versions)
      .links.filter((link) => link.version_id === id && imageTags(link.image_tags).length > 0)
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
    const kept = versions;
    return () => context.statement.set(key, kept.filter((version) => version.id !== id));
  };
}

function listed(names: readonly string[]): string {
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}
