#!/usr/bin/env bash
# Restore a backup made by ops/backup.sh: ops/restore.sh BACKUP_FOLDER
#
# Replaces the database named by DATABASE_URL (it must exist; create it
# empty with createdb) and fills MEDIA_ROOT. Stop the site first.
set -euo pipefail
from=${1:?usage: ops/restore.sh BACKUP_FOLDER}
here=$(cd "$(dirname "$0")/.." && pwd)
: "${DATABASE_URL:?set DATABASE_URL to the database to restore into}"
media=${MEDIA_ROOT:-$here/media}

pg_restore --clean --if-exists --no-owner --exit-on-error --single-transaction \
    --dbname="$DATABASE_URL" "$from/database.dump"
mkdir -p "$media"
tar -xzf "$from/media.tar.gz" -C "$media"
echo "restored $from into the database and $media"
