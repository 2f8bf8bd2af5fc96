#!/usr/bin/env bash
# The ghsql Action's one step (action.yml): turns the INPUT_* values into ghsql's flags and runs it.
# GitHub Actions' conventions (job summary, step outputs, annotations) are ghsql's own when
# GITHUB_ACTIONS=true, so this stays a thin wrapper. Exit code 3 (some actions refused) fails the
# step only with fail-on-refused.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
args=(--format markdown)
if [ "${INPUT_DRY_RUN:-true}" = "false" ]; then args+=(--allow-writes); else args+=(--dry-run); fi
[ "${INPUT_KEEP_GOING:-true}" = "true" ] && args+=(--keep-going)
[ -n "${INPUT_API_URL:-}" ] && args+=(--api-url "$INPUT_API_URL")
[ -n "${INPUT_REGISTRY_URL:-}" ] && args+=(--registry-url "$INPUT_REGISTRY_URL")
while IFS= read -r line || [ -n "$line" ]; do
  line="${line%$'\r'}"
  [ -z "${line// /}" ] && continue
  case "$line" in
    *=*) args+=(-p "${line%%=*}" "${line#*=}") ;;
    *) echo "::error::params: \"$line\" is not name=value" >&2; exit 1 ;;
  esac
done <<< "${INPUT_PARAMS:-}"
if [ -n "${INPUT_SQL_FILE:-}" ] && [ -n "${INPUT_SQL:-}" ]; then
  echo "::error::give sql or sql-file, not both" >&2; exit 1
elif [ -n "${INPUT_SQL_FILE:-}" ]; then
  # A path in the workspace, else one of ghsql's own reports (sql/prune-org-container-versions.sql).
  if [ ! -f "$INPUT_SQL_FILE" ] && [ -f "$here/$INPUT_SQL_FILE" ]; then INPUT_SQL_FILE="$here/$INPUT_SQL_FILE"; fi
  args+=(-f "$INPUT_SQL_FILE")
elif [ -n "${INPUT_SQL:-}" ]; then
  args+=(-- "$INPUT_SQL")
else
  echo "::error::give the statements to run: sql or sql-file" >&2; exit 1
fi
GITHUB_TOKEN="${INPUT_TOKEN:-${GITHUB_TOKEN:-}}" node "$here/dist/cli/main.js" "${args[@]}"
code=$?
if [ "$code" = 3 ] && [ "${INPUT_FAIL_ON_REFUSED:-false}" != "true" ]; then exit 0; fi
exit "$code"
