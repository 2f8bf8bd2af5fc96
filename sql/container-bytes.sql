-- Bytes: how much each container package stores, and how much the plan of
-- sql/prune-container-versions.sql would free. GitHub's REST gives no sizes; the registry's manifests
-- do (auth_user_container_blobs: each version's config and layers with their sizes). Blobs are shared
-- between versions (a base image's layers), so a package's bytes count each blob once, and the plan
-- frees only the blobs that no version it keeps still names. Manifests themselves (a few KB) are left
-- out.
--   ghsql -f sql/container-bytes.sql                 (offline: ghsql --demo -f …)
-- The plan below is prune-container-versions.sql's, without the deletes: change both together
-- (test/cli/reports.test.ts checks that they choose the same versions).
WITH versions AS MATERIALIZED (
  SELECT p.name AS package, v.id, v.created_at, v.image_tags,
         row_number() OVER (PARTITION BY p.name ORDER BY v.created_at DESC, v.id DESC) AS newest
  FROM auth_user_packages p
  JOIN auth_user_package_versions v ON v.package_type = p.package_type AND v.package_name = p.name
  WHERE p.package_type = 'container'
),
roots AS (
  SELECT id FROM versions WHERE newest <= 5
  UNION SELECT id FROM versions WHERE json_array_length(image_tags) > 0
  UNION SELECT versions.id FROM versions, json_each(versions.image_tags) AS tag WHERE tag.value GLOB 'v*' OR tag.value = 'latest'
  UNION SELECT id FROM versions WHERE created_at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-90 days')
),
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
doomed AS MATERIALIZED (
  SELECT package, id FROM versions WHERE id NOT IN (SELECT id FROM kept)
),
-- Every blob each version names, and whether the plan deletes that version.
blobs AS MATERIALIZED (
  SELECT p.package, b.id, b.digest, b.size, b.id IN (SELECT id FROM doomed) AS deleted
  FROM (SELECT DISTINCT package FROM versions) AS p
  JOIN auth_user_container_blobs b ON b.package_name = p.package
  WHERE b.role IN ('config', 'layer')
),
per_blob AS (
  SELECT package, digest, max(size) AS size, min(deleted) AS freed FROM blobs GROUP BY package, digest
),
per_package AS (
  SELECT v.package,
         count(*) AS versions,
         (SELECT coalesce(sum(size), 0) FROM per_blob b WHERE b.package = v.package) AS bytes,
         (SELECT count(*) FROM doomed d WHERE d.package = v.package) AS plan_deletes,
         (SELECT coalesce(sum(size), 0) FROM per_blob b WHERE b.package = v.package AND b.freed) AS plan_frees
  FROM versions v
  GROUP BY v.package
)
SELECT package, versions, bytes, plan_deletes, plan_frees,
       printf('%.1f MB', plan_frees / 1e6) AS frees
FROM (
  SELECT 0 AS total, package, versions, bytes, plan_deletes, plan_frees FROM per_package
  UNION ALL
  SELECT 1, 'all packages', sum(versions), sum(bytes), sum(plan_deletes), sum(plan_frees) FROM per_package
)
ORDER BY total, plan_frees DESC, package;
