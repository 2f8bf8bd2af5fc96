-- Packages not updated for over a year: candidates for deletion or a note in their README.
--   ghsql -f sql/packages-not-updated-in-a-year.sql
SELECT package_type, name, visibility, updated_at,
       CAST(julianday('now') - julianday(updated_at) AS INTEGER) AS days_since_update
FROM auth_user_packages
WHERE package_type IN ('npm', 'maven', 'rubygems', 'docker', 'nuget', 'container')
  AND updated_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 year')
ORDER BY updated_at;
