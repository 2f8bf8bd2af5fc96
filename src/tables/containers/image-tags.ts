import type { Column, Item } from '../../table/types.js';
import { imageTags } from '../oci/image-graph.js';
import { tagsOf } from '../packages/package-shapes.js';

// cosign tags its signature, attestation and SBOM of an image `sha256-<image hex>.sig` (.att, .sbom):
// those tags name the image signed, not the version that has them, so a rule that keeps the newest
// N tagged images counts image_tags, not tags.

/** The image_tags column of the graph tables, whose rows carry image_tags. */
export const IMAGE_TAGS_COLUMN: Column = {
  name: 'image_tags',
  type: 'JSON',
  description: "The tags but cosign's sha256-<hex>.sig/.att/.sbom (JSON array, [] when none): json_array_length(image_tags) > 0 for tagged images.",
};

/** The image_tags column of the versions tables, from the version's tags. */
export const VERSION_IMAGE_TAGS_COLUMN: Column = { ...IMAGE_TAGS_COLUMN, from: { derive: (item: Item) => imageTags(tagsOf(item)) } };
