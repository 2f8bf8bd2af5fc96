-- Packages linked to no repository: nobody sees them from a repository page, so they are easy to forget.
--   ghsql -f sql/packages-without-repository.sql
SELECT package_type, name, visibility, version_count, updated_at
FROM auth_user_packages
WHERE package_type IN ('npm', 'maven', 'rubygems', 'docker', 'nuget', 'container')
  AND repository IS NULL
ORDER BY package_type, name;
