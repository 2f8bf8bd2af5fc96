"""ghsql from Python: run the CLI in a subprocess and read what it prints.

--format ndjson gives one JSON object per row, numbers as numbers and JSON columns (owner,
repository) as nested objects; --format csv gives text for csv.reader or pandas.read_csv.
With pandas: pandas.read_json(io.StringIO(out), lines=True) or pandas.read_csv(io.StringIO(out)).
--demo runs against ghsql's built-in stand-in, with no token; drop it to query your own packages.
"""

import csv
import io
import json
import subprocess


def ghsql(sql, *flags):
    """Runs ghsql and returns its stdout; ghsql's own error message when it fails."""
    done = subprocess.run(["ghsql", *flags, "--", sql], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip())
    return done.stdout


def rows(sql, *flags):
    """The statement's rows, as dicts."""
    return [json.loads(line) for line in ghsql(sql, "--format", "ndjson", *flags).splitlines()]


largest = rows(
    "-- the largest container images\n"
    "SELECT name, version_count, owner FROM auth_user_packages "
    "WHERE package_type = 'container' ORDER BY version_count DESC LIMIT 3",
    "--demo",
)
for row in largest:
    print(row["name"], row["version_count"], row["owner"]["login"])

table = list(csv.DictReader(io.StringIO(ghsql(
    "SELECT visibility, count(*) AS packages FROM auth_user_packages "
    "WHERE package_type = 'npm' GROUP BY visibility ORDER BY visibility",
    "--demo", "--format", "csv",
))))
print({row["visibility"]: int(row["packages"]) for row in table})
