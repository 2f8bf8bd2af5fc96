import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GhsqlError } from '../../errors.js';
import type { PushedManifest } from '../../github/registry/registry-client.js';
import type { Action, ActionPerformer, Item, Method, PerformContext } from '../../table/types.js';
import { registryOwner } from '../oci/image-graph.js';
import { PACKAGE_TYPES } from '../packages/package-facts.js';
import { tagsOf } from '../packages/package-shapes.js';

// ghcr.io has no tag delete (its DELETE answers 405, the REST API deletes whole versions). A tag is
// removed as dataaxiom/ghcr-cleanup-action's delete-tags removes one: a small stand-in manifest is
// pushed under the tag, which moves the tag to a new version, and that version is deleted through
// the REST API. The stand-in is the same bytes every time, so one left behind by an interrupted call
// is known by its digest (its version's name) and removed by the next call.

/** OCI's empty descriptor: the blob `{}`, the config of an artifact that has none. */
const EMPTY_BLOB = Buffer.from('{}');
const EMPTY_DESCRIPTOR = { mediaType: 'application/vnd.oci.empty.v1+json', digest: digestOf(EMPTY_BLOB), size: EMPTY_BLOB.length };

/** What ghsql pushes to move a tag off a version: an OCI image manifest with the empty config and layer, marked as ghsql's. */
export const STAND_IN_MANIFEST: PushedManifest = {
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  bytes: Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.ghsql.removed-tag.v1',
      config: EMPTY_DESCRIPTOR,
      // The spec advises one layer for registries that refuse none: the empty descriptor again.
      layers: [EMPTY_DESCRIPTOR],
      annotations: { 'org.opencontainers.image.description': 'Pushed by ghsql to remove a tag from another version; deleted right after. Safe to delete.' },
    }),
  ),
  blobs: [{ digest: EMPTY_DESCRIPTOR.digest, bytes: EMPTY_BLOB }],
};

/** The stand-in's digest: the name of its version in the packages API. */
export const STAND_IN_DIGEST = digestOf(STAND_IN_MANIFEST.bytes);

/** How long to wait for GitHub's versions list to show the version the push made (it may lag the registry). */
const LIST_LAG_RETRIES = 5;
const LIST_LAG_WAIT_MS = 2_000;

/** The action that removes one tag of a container version: `remove_container_tag_for_org(org, package_name, tag)`. */
export function untagAction(name: string, ownerParameter: string | undefined, deleteName: string): Action {
  return {
    name,
    description:
      `Removes one tag from a container image and keeps the version and its other tags (ghcr.io has no tag delete: ghsql pushes a small stand-in manifest under the tag, which needs write:packages, then deletes the version that made). ` +
      `Refused when it is the version's only tag: that is deleting the version, with ${deleteName}. A stand-in left by an interrupted call is deleted by the next one.`,
    arguments: [...(ownerParameter ? [ownerParameter] : []), 'package_name', 'tag'],
    outcome: 'untagged',
    dryRunOutcome: 'would untag',
  };
}

/**
 * Carries out the untag action: `list` is the package's active versions, `deleteRoute` the version
 * delete, both with the owner parameter (if any), package_type and package_name.
 */
export function removeContainerTag(list: Method, deleteRoute: string, ownerParameter: string | undefined, deleteName: string): ActionPerformer {
  return async (args, context) => {
    const packageName = args['package_name']!;
    const tag = args['tag']!;
    const ownerValues = ownerParameter ? { [ownerParameter]: args[ownerParameter]! } : {};
    const params = { ...ownerValues, package_type: 'container', package_name: packageName };
    const versions = await context.list(list, params);
    if (versions.length === 0) await refuseOtherTypes(list, { ...ownerValues, package_name: packageName }, context);
    const leftOver = versions.filter(isStandIn);
    const deleteLeftOver = async () => {
      for (const version of leftOver) await context.send(deleteRoute, { ...params, package_version_id: String(version['id']) });
    };
    const tagged = versions.find((version) => tagsOf(version).includes(tag));
    if (tagged && isStandIn(tagged)) {
      // An earlier call pushed the stand-in under this tag and was stopped before deleting it: finish it.
      if (context.dryRun) return 'would untag';
      await deleteLeftOver();
      return 'untagged';
    }
    if (!tagged) {
      if (!context.dryRun) await deleteLeftOver();
      throw new GhsqlError('NOT_FOUND', `no active version of ${packageName} has the tag ${JSON.stringify(tag)}; the tags are in the versions table's tags column.`);
    }
    const others = tagsOf(tagged).filter((other) => other !== tag);
    if (others.length === 0) {
      const deleteCall = `${deleteName}(${[...Object.values(ownerValues), 'container', packageName].map((value) => `'${value.replace(/'/g, "''")}'`).join(', ')}, ${String(tagged['id'])})`;
      throw new GhsqlError(
        'PROTECTED',
        `refused, nothing was sent: ${JSON.stringify(tag)} is the only tag of version ${String(tagged['id'])} (${String(tagged['name'])}), so removing it is deleting the version; do that with ${deleteCall}.`,
      );
    }
    if (context.dryRun) return 'would untag';
    await deleteLeftOver();
    const owner = await registryOwner(ownerParameter, args, context);
    await context.registry.pushManifest(owner, packageName, tag, STAND_IN_MANIFEST, context.signal);
    const standIn = await pushedVersion(list, params, context);
    if (!standIn) {
      throw new GhsqlError(
        'BAD_RESPONSE',
        `the tag ${JSON.stringify(tag)} was moved off version ${String(tagged['id'])} to a stand-in manifest (${STAND_IN_DIGEST}), but GitHub's versions list of ${packageName} does not show that version yet, so it was not deleted. Call the same function again in a minute: it deletes the stand-in.`,
      );
    }
    await context.send(deleteRoute, { ...params, package_version_id: String(standIn['id']) });
    return 'untagged';
  };
}

/** The version the push made, once GitHub's list shows it. */
async function pushedVersion(list: Method, params: Record<string, string>, context: PerformContext): Promise<Item | undefined> {
  for (let attempt = 0; ; attempt++) {
    const found = (await context.list(list, params)).find(isStandIn);
    if (found || attempt === LIST_LAG_RETRIES) return found;
    await sleep(LIST_LAG_WAIT_MS, undefined, { signal: context.signal });
  }
}

/**
 * No container package of that name: if a package of another type has it, say that only container
 * images have tags to remove (a read per type, on this error's path only).
 */
async function refuseOtherTypes(list: Method, values: Record<string, string>, context: PerformContext): Promise<never> {
  for (const type of PACKAGE_TYPES.filter((candidate) => candidate !== 'container')) {
    if ((await context.list(list, { ...values, package_type: type })).length > 0) {
      throw new GhsqlError('PROTECTED', `refused, nothing was sent: ${values['package_name']} is a package of type ${type}, not container; only container images have tags to remove.`);
    }
  }
  throw new GhsqlError('NOT_FOUND', `there is no container package ${values['package_name']} with active versions, or the token cannot see it (reading it needs read:packages).`);
}

function isStandIn(version: Item): boolean {
  return version['name'] === STAND_IN_DIGEST;
}

function digestOf(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
