-- Untagged container versions older than 90 days: the ones to delete, and with --allow-writes deleted.
-- Kept whatever their age: the newest 5 of each package, anything tagged, and anything pushed in the
-- last hour (a push may still be in progress: its manifest can be there before its tag).
--   ghsql --dry-run -f sql/prune-container-versions.sql        what would be deleted ("would delete")
--   ghsql --allow-writes -f sql/prune-container-versions.sql   deletes them, one a second
-- Try it offline with --demo. Every call is kept in ghsql_actions.
WITH versions AS MATERIALIZED (
  SELECT p.name AS package, v.id, v.name AS digest, v.created_at, v.tags,
         row_number() OVER (PARTITION BY p.name ORDER BY v.created_at DESC, v.id DESC) AS newest
  FROM auth_user_packages p
  JOIN auth_user_package_versions v ON v.package_type = p.package_type AND v.package_name = p.name
  WHERE p.package_type = 'container'
),
kept AS (
  SELECT id FROM versions WHERE newest <= 5
  UNION SELECT id FROM versions WHERE json_array_length(tags) > 0
  -- A tag rule, one row per tag: to prune tagged versions too, delete the line above and keep only
  -- the tags that match, e.g. releases (v1.2.3) and latest.
  UNION SELECT versions.id FROM versions, json_each(versions.tags) AS tag WHERE tag.value GLOB 'v*' OR tag.value = 'latest'
  UNION SELECT id FROM versions WHERE created_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 hour')
)
SELECT package, digest, created_at,
       delete_package_version_for_authenticated_user('container', package, id) AS outcome
FROM versions
WHERE id NOT IN (SELECT id FROM kept)
  AND created_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-90 days')
ORDER BY package, created_at;
