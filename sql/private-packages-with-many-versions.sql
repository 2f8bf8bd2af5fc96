-- Private packages with more than 50 versions: where old versions pile up (and storage is billed).
-- One list per type; visibility is filtered as any column (every SQL operator works on it).
--   ghsql -f sql/private-packages-with-many-versions.sql
SELECT package_type, name, version_count, updated_at, html_url
FROM auth_user_packages
WHERE package_type IN ('npm', 'maven', 'rubygems', 'docker', 'nuget', 'container')
  AND visibility = 'private'
  AND version_count > 50
ORDER BY version_count DESC;
