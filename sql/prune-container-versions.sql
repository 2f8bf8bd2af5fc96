-- Untagged container versions older than 90 days: the ones to delete, and with --allow-writes deleted.
-- Kept: the newest 5 of each package, every tagged image (image_tags, which leave out cosign's
-- sha256-<hex>.sig/.att/.sbom: a signature is kept by the image it signs, not by its tag), anything
-- pushed in the last 90 days (never make it less than an hour: a push may still be in progress, its
-- manifest there before its tag), and
-- every version a kept one needs, whatever its age: a multi-arch image's platform children and buildx
-- attestations, its OCI referrers and cosign signatures (auth_user_container_links, read from the
-- registry's manifests).
--   ghsql --dry-run -f sql/prune-container-versions.sql        the plan: "would delete" or "would refuse: …"
--                                                              per version, with every check the real run does
--   ghsql --allow-writes -f sql/prune-container-versions.sql   deletes them, one a second
--   ghsql --allow-writes --keep-going -f …                     a refused version is that row's "refused: …"
--                                                              and the rest go on (exit code 3)
-- Try it offline with --demo. Every call is kept in ghsql_actions. The delete itself refuses a version
-- an image still present needs (re-reading the package before each delete), so a rule changed below
-- cannot break an image: the statement stops there, or with --keep-going that row says why.
WITH versions AS MATERIALIZED (
  SELECT p.name AS package, v.id, v.name AS digest, v.created_at, v.image_tags,
         row_number() OVER (PARTITION BY p.name ORDER BY v.created_at DESC, v.id DESC) AS newest
  FROM auth_user_packages p
  JOIN auth_user_package_versions v ON v.package_type = p.package_type AND v.package_name = p.name
  WHERE p.package_type = 'container'
),
roots AS (
  SELECT id FROM versions WHERE newest <= 5
  UNION SELECT id FROM versions WHERE json_array_length(image_tags) > 0
  -- A tag rule, one row per tag: to prune tagged images too, delete the line above and keep only
  -- the tags that match, e.g. releases (v1.2.3) and latest, or the newest 3 tagged images:
  --   UNION SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY package ORDER BY created_at DESC) AS n
  --                         FROM versions WHERE json_array_length(image_tags) > 0) WHERE n <= 3
  UNION SELECT versions.id FROM versions, json_each(versions.image_tags) AS tag WHERE tag.value GLOB 'v*' OR tag.value = 'latest'
  -- The age rule: a younger version is kept, and so is what it needs (an old child of a new index).
  UNION SELECT id FROM versions WHERE created_at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-90 days')
),
-- What each version needs, transitively: one graph per package.
needs AS MATERIALIZED (
  SELECT l.image_id, l.version_id
  FROM (SELECT DISTINCT package FROM versions) AS p
  JOIN auth_user_container_links l ON l.package_name = p.package
  WHERE l.version_id IS NOT NULL
),
kept AS (
  SELECT id FROM roots
  UNION SELECT needs.version_id FROM needs JOIN roots ON roots.id = needs.image_id
),
-- Chosen and ordered first, in a MATERIALIZED CTE: the deletes run in this order, and only for these
-- rows (ghsql refuses a statement that would sort or limit rows after calling an action on them):
-- each image before what it needs, as the delete requires, so the plan never meets a refusal of its
-- own making. Whatever needs a
-- doomed version is doomed too, and needs what it needs, so fewer images need the image: that order.
doomed AS MATERIALIZED (
  SELECT package, id, digest, created_at FROM versions
  WHERE id NOT IN (SELECT id FROM kept)
  ORDER BY (SELECT count(*) FROM needs WHERE needs.version_id = versions.id), package, created_at
)
SELECT package, digest, created_at,
       delete_package_version_for_authenticated_user('container', package, id) AS outcome
FROM doomed;
