-- Packages whose repository is archived: the code is frozen, but the packages are still published.
-- Joins with a table of your repositories in your own database file: repos(full_name, archived).
-- One way to make it, with the GitHub CLI and sqlite3:
--   gh repo list OWNER --limit 1000 --json nameWithOwner,isArchived \
--     --jq '.[] | [.nameWithOwner, (if .isArchived then 1 else 0 end)] | @csv' > repos.csv
--   sqlite3 my.db 'CREATE TABLE repos(full_name TEXT PRIMARY KEY, archived INTEGER)' '.import --csv repos.csv repos'
-- then:
--   ghsql --db my.db -f sql/packages-of-archived-repositories.sql
SELECT p.package_type, p.name, p.visibility, p.version_count, r.full_name AS repository, p.updated_at
FROM auth_user_packages AS p
JOIN repos AS r ON r.full_name = p.repository ->> '$.full_name'
WHERE p.package_type IN ('npm', 'maven', 'rubygems', 'docker', 'nuget', 'container')
  AND r.archived
ORDER BY r.full_name, p.package_type, p.name;
