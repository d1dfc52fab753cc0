#!/usr/bin/env bash
# The restore drill CI runs (.ci/run): demo data on PostgreSQL plus an uploaded file, backed up with
# scripts/backup/backup.sh, restored with scripts/backup/restore.sh into a fresh database and folder, then
# `manage.py restore_check` proves the copy: every table's row count, the case page, the decision sheet PDF, the
# evidence download, and the append-only triggers. Needs PostgreSQL at PGHOST (default 127.0.0.1) as PGUSER
# (default postgres), pg_dump/pg_restore/psql and gpg.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
PY=.venv/bin/python
SOURCE_DB=rapidreview_drill
TARGET_DB=rapidreview_drill_restored
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for db in "$SOURCE_DB" "$TARGET_DB"; do
  psql -X -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" postgres
done

export RAPIDREVIEW_ENV=demo RAPIDREVIEW_VAR_DIR="$work/var" CELERY_TASK_ALWAYS_EAGER=true
export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$SOURCE_DB" MEDIA_ROOT="$work/uploads"
mkdir -p "$MEDIA_ROOT"
$PY manage.py migrate --noinput -v0
$PY manage.py load_demo >/dev/null
# One uploaded evidence file, through the service a working group member's upload goes through.
$PY manage.py shell <<'PYTHON' >/dev/null
import io
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from actionplan.models import Action
from actionplan.services import action_add_evidence
from rapidreview.accounts.models import Role, User
writer = PdfWriter()
writer.add_blank_page(width=595, height=842)
buffer = io.BytesIO()
writer.write(buffer)
action = Action.objects.filter(case__isnull=False).order_by("created_at").first()
member = User.objects.filter(role_assignments__role=Role.WORKING_GROUP).first()
action_add_evidence(action=action, actor=member, text="Restore drill",
                    upload=SimpleUploadedFile("audit-report.pdf", buffer.getvalue(), content_type="application/pdf"))
PYTHON
$PY manage.py restore_check --write "$work/before.json"

# Back up with the documented command.
head -c 32 /dev/urandom | base64 > "$work/passphrase"
UPLOADS_DIR="$MEDIA_ROOT" BACKUP_DIR="$work/backups" BACKUP_PASSPHRASE_FILE="$work/passphrase" PGDATABASE="$SOURCE_DB" \
  scripts/backup/backup.sh
backup="$(ls -1d "$work"/backups/daily/* | tail -n 1)"

# Restore into a fresh database and folder with the documented command.
UPLOADS_DIR="$work/restored-uploads" BACKUP_PASSPHRASE_FILE="$work/passphrase" PGDATABASE="$TARGET_DB" \
  scripts/backup/restore.sh "$backup"

DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$TARGET_DB" MEDIA_ROOT="$work/restored-uploads" \
  $PY manage.py restore_check --compare "$work/before.json"
for db in "$SOURCE_DB" "$TARGET_DB"; do psql -X -qc "DROP DATABASE IF EXISTS $db" postgres; done
