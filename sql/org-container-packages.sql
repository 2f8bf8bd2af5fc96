-- An organization's ten container packages with the most versions, and the tags in use on each.
--   ghsql -f sql/org-container-packages.sql                 (the demo's organization, acme-corp)
-- For your own organization, change the org below (or keep the report and bind it from a script).
WITH largest AS (
  SELECT org, name, visibility, version_count
  FROM org_packages
  WHERE org = 'acme-corp' AND package_type = 'container'
  ORDER BY version_count DESC
  LIMIT 10
)
SELECT l.name, l.visibility, l.version_count,
       count(v.id) AS listed_versions,
       sum(json_array_length(v.image_tags) = 0) AS untagged,
       (SELECT group_concat(tag.value, ', ') FROM org_package_versions t, json_each(t.tags) AS tag
         WHERE t.org = l.org AND t.package_type = 'container' AND t.package_name = l.name) AS tags
FROM largest l
JOIN org_package_versions v ON v.org = l.org AND v.package_type = 'container' AND v.package_name = l.name
GROUP BY l.name
ORDER BY l.version_count DESC;
