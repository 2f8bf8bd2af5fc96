-- Your packages by type and visibility: how many, and how many versions they hold.
--   ghsql -f sql/packages-by-visibility-and-type.sql
SELECT package_type, visibility, count(*) AS packages, sum(version_count) AS versions
FROM auth_user_packages
WHERE package_type IN ('npm', 'maven', 'rubygems', 'docker', 'nuget', 'container')
GROUP BY package_type, visibility
ORDER BY package_type, visibility;
