#!/usr/bin/env bash
# Back up everything the site holds: ops/backup.sh DEST
#
#   DEST/<time>/database.dump   pg_dump, custom format (pg_restore reads it)
#   DEST/<time>/media.tar.gz    MEDIA_ROOT: covers, scans, PDFs, images
#   DEST/<time>/texts.tar.gz    export_text --all: every issue as import files,
#                               readable without this software
#
# Needs DATABASE_URL (PostgreSQL) and MEDIA_ROOT as the site runs with them.
set -euo pipefail
dest=${1:?usage: ops/backup.sh DEST}
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$here/.venv/bin/python}
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database of the site}"
media=${MEDIA_ROOT:-$here/media}
out="$dest/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"

pg_dump --format=custom --no-owner --file="$out/database.dump" "$DATABASE_URL"
mkdir -p "$media"
tar -czf "$out/media.tar.gz" -C "$media" .
texts=$(mktemp -d)
trap 'rm -rf "$texts"' EXIT
"$python" "$here/manage.py" export_text --all "$texts/texts" --verbosity 0
tar -czf "$out/texts.tar.gz" -C "$texts" texts
echo "$out"
