-- One organization container package: its untagged versions older than :older_than_days days, the
-- ones to delete, and with --allow-writes deleted. The same rules as prune-container-versions.sql
-- (kept: the newest :keep, every tagged image (image_tags), anything pushed in the last
-- :older_than_days days, and every version a kept image needs), for an organization's package named by parameters:
--   ghsql --dry-run -p org acme-corp -p package platform/edge-proxy -p keep 5 -p older_than_days 90 \
--         -f sql/prune-org-container-versions.sql
--   ghsql --allow-writes --keep-going -p org … -f sql/prune-org-container-versions.sql
-- The package is named, not listed: the workflow token of GitHub Actions cannot list packages, but it
-- can read and delete a package whose Manage Actions access gives the workflow's repository Admin.
WITH versions AS MATERIALIZED (
  SELECT v.package_name AS package, v.id, v.name AS digest, v.created_at, v.image_tags,
         row_number() OVER (ORDER BY v.created_at DESC, v.id DESC) AS newest
  FROM org_package_versions v
  WHERE v.org = :org AND v.package_type = 'container' AND v.package_name = :package
),
roots AS (
  SELECT id FROM versions WHERE newest <= :keep
  UNION SELECT id FROM versions WHERE json_array_length(image_tags) > 0
  -- Young versions are kept, and so is what they need (keep :older_than_days at least 1: a push may
  -- still be in progress, its manifest there before its tag).
  UNION SELECT id FROM versions WHERE created_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-' || :older_than_days || ' days')
),
-- What each version needs, transitively, from the package's image graph.
needs AS MATERIALIZED (
  SELECT l.image_id, l.version_id FROM org_container_links l
  WHERE l.org = :org AND l.package_name = :package AND l.version_id IS NOT NULL
),
kept AS (
  SELECT id FROM roots
  UNION SELECT needs.version_id FROM needs JOIN roots ON roots.id = needs.image_id
),
-- Chosen and ordered first (the deletes run in this order, only for these rows): an image before
-- the versions it needs.
doomed AS MATERIALIZED (
  SELECT package, id, digest, created_at FROM versions
  WHERE id NOT IN (SELECT id FROM kept)
  ORDER BY (SELECT count(*) FROM needs WHERE needs.version_id = versions.id), created_at
)
SELECT package, digest, created_at,
       delete_package_version_for_org(:org, 'container', package, id) AS outcome
FROM doomed;
