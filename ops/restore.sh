#!/usr/bin/env bash
# Restore a backup made by ops/backup.sh: ops/restore.sh BACKUP_FOLDER
#
# Replaces the database named by DATABASE_URL (it must exist; create it
# empty with createdb) and puts the media files back where the settings say:
# MEDIA_ROOT, or the bucket of DJANGO_S3_BUCKET. Stop the site first.
set -euo pipefail
from=${1:?usage: ops/restore.sh BACKUP_FOLDER}
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$here/.venv/bin/python}
: "${DATABASE_URL:?set DATABASE_URL to the database to restore into}"

pg_restore --clean --if-exists --no-owner --exit-on-error --single-transaction \
    --dbname="$DATABASE_URL" "$from/database.dump"
"$python" "$here/manage.py" import_media "$from/media.tar.gz" --verbosity 0
echo "restored $from into the database and the media store"
