-- Every tagged container image and what it needs, read from the registry's manifests: a multi-arch
-- image's platform children and buildx attestations, OCI referrers (SBOMs, signatures) and cosign
-- signatures, each with the version that holds it, or MISSING where an index names a digest no
-- version has (a broken image). Last in each package: how many untagged versions no present image
-- needs (the safe set: auth_user_container_manifests WHERE json_array_length(image_tags) = 0 AND
-- needed_by = '[]'; a cosign signature whose image is gone is in it, its sha256-<hex>.sig tag is no
-- image tag); an untagged index keeps its platform children and attestations, which join the safe
-- set once it is deleted.
--   ghsql -f sql/container-image-graph.sql          (offline: ghsql --demo -f …)
WITH packages AS MATERIALIZED (
  SELECT name FROM auth_user_packages WHERE package_type = 'container'
),
links AS MATERIALIZED (
  SELECT l.* FROM packages p JOIN auth_user_container_links l ON l.package_name = p.name
  WHERE json_array_length(l.image_tags) > 0
),
safe AS MATERIALIZED (
  SELECT m.package_name, count(*) AS versions
  FROM packages p JOIN auth_user_container_manifests m ON m.package_name = p.name
  WHERE json_array_length(m.image_tags) = 0 AND m.needed_by = '[]'
  GROUP BY m.package_name
)
SELECT package, image, needs, version, digest FROM (
  SELECT package_name AS package, image, 0 AS last, depth, link, platform,
         substr('          ', 1, 2 * (depth - 1)) || link || coalesce(' ' || platform, '') AS needs,
         coalesce(CAST(version_id AS TEXT), 'MISSING: broken image') AS version, digest
  FROM links
  UNION ALL
  SELECT package_name, NULL, 1, 0, NULL, NULL, 'safe to delete: ' || versions || ' untagged version' || iif(versions = 1, '', 's'), NULL, NULL
  FROM safe
)
ORDER BY package, last, image, depth, link, platform;
