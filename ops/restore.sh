#!/usr/bin/env bash
# Restore a backup made by ops/backup.sh: ops/restore.sh BACKUP_FOLDER
#
# Replaces the database named by DATABASE_URL (PostgreSQL: it must exist;
# create it empty with createdb), or puts the SQLite copy in place of the file
# the settings name (DATABASE_URL=sqlite:///PATH, or db.sqlite3), and puts the
# media files back where the settings say: MEDIA_ROOT, or the bucket of
# DJANGO_S3_BUCKET. Stop the site first.
set -euo pipefail
from=${1:?usage: ops/restore.sh BACKUP_FOLDER}
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$here/.venv/bin/python}
if [[ -f "$from/database.sqlite3" ]]; then
    "$python" "$here/manage.py" restore_database "$from/database.sqlite3" --verbosity 0
else
    : "${DATABASE_URL:?set DATABASE_URL to the database to restore into}"
    pg_restore --clean --if-exists --no-owner --exit-on-error --single-transaction \
        --dbname="$DATABASE_URL" "$from/database.dump"
fi
"$python" "$here/manage.py" import_media "$from/media.tar.gz" --verbosity 0
echo "restored $from into the database and the media store"
