#!/usr/bin/env bash
# Back up everything the site holds: ops/backup.sh DEST
#
#   DEST/<time>/database.dump   pg_dump, custom format (pg_restore reads it), or
#   DEST/<time>/database.sqlite3  the SQLite database, copied online by SQLite's
#                               backup API (manage.py backup_database)
#   DEST/<time>/media.tar.gz    every media file: covers, scans, PDFs, images,
#                               from MEDIA_ROOT or the object storage bucket
#   DEST/<time>/texts.tar.gz    export_text --all: every issue as import files,
#                               readable without this software
#
# Run it with the site's own settings: DATABASE_URL (unset: the SQLite file)
# and, as the site has them, MEDIA_ROOT or the DJANGO_S3_* variables. The site
# may keep running.
set -euo pipefail
dest=${1:?usage: ops/backup.sh DEST}
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$here/.venv/bin/python}
out="$dest/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"

if [[ "${DATABASE_URL:-}" == postgres* ]]; then
    pg_dump --format=custom --no-owner --file="$out/database.dump" "$DATABASE_URL"
else
    "$python" "$here/manage.py" backup_database "$out/database.sqlite3" --verbosity 0
fi
"$python" "$here/manage.py" export_media "$out/media.tar.gz" --verbosity 0
texts=$(mktemp -d)
trap 'rm -rf "$texts"' EXIT
mkdir -p "$texts/texts"  # an archive without articles is still an archive
"$python" "$here/manage.py" export_text --all "$texts/texts" --verbosity 0
tar -czf "$out/texts.tar.gz" -C "$texts" texts
echo "$out"
