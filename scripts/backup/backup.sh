#!/usr/bin/env bash
# Back up Rapid Review: the database (pg_dump, custom format) and the uploads folder, each encrypted with a
# passphrase the operator holds, into BACKUP_DIR/daily/<UTC stamp>/ with a SHA256SUMS manifest. Sunday's backup
# (or the first of a week without one) is also kept under weekly/. Keeps KEEP_DAILY daily and KEEP_WEEKLY weekly
# copies. docs/operations.md says how to run, schedule, copy off the host and restore.
#
# Environment:
#   PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE   the database, as for psql (the owner role, so the dump is whole)
#   UPLOADS_DIR              the uploads folder (MEDIA_ROOT)
#   BACKUP_DIR               where backups are kept
#   BACKUP_PASSPHRASE_FILE   a file holding the encryption passphrase (keep a copy off the host, offline)
#   KEEP_DAILY (7) KEEP_WEEKLY (4)
set -euo pipefail
: "${UPLOADS_DIR:?set UPLOADS_DIR}" "${BACKUP_DIR:?set BACKUP_DIR}" "${BACKUP_PASSPHRASE_FILE:?set BACKUP_PASSPHRASE_FILE}"
: "${PGDATABASE:?set PGDATABASE}"
KEEP_DAILY="${KEEP_DAILY:-7}"
KEEP_WEEKLY="${KEEP_WEEKLY:-4}"
[ -r "$BACKUP_PASSPHRASE_FILE" ] || { echo "backup: cannot read $BACKUP_PASSPHRASE_FILE" >&2; exit 1; }
[ -d "$UPLOADS_DIR" ] || { echo "backup: no uploads folder at $UPLOADS_DIR" >&2; exit 1; }
umask 077

encrypt() {  # stdin -> $1, AES-256 with an integrity check (OpenPGP symmetric, MDC)
  gpg --batch --yes --quiet --pinentry-mode loopback --passphrase-file "$BACKUP_PASSPHRASE_FILE" \
    --symmetric --cipher-algo AES256 --s2k-digest-algo SHA512 --s2k-count 65011712 --compress-algo none -o "$1"
}

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$BACKUP_DIR/daily" "$BACKUP_DIR/weekly"
work="$BACKUP_DIR/daily/.$stamp.partial"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

started=$(date +%s)
# One consistent snapshot of the database (pg_dump runs in a single repeatable-read transaction).
pg_dump --format=custom --no-password | encrypt "$work/database.dump.gpg"
# Uploads are written once and never changed (a new file per upload), so a copy taken after the dump holds every
# file the dump refers to.
tar -C "$UPLOADS_DIR" -czf - . | encrypt "$work/uploads.tar.gz.gpg"
(cd "$work" && sha256sum database.dump.gpg uploads.tar.gz.gpg > SHA256SUMS)
{
  echo "created_utc=$stamp"
  echo "database=$PGDATABASE"
  echo "pg_dump=$(pg_dump --version)"
  echo "seconds=$(( $(date +%s) - started ))"
} > "$work/MANIFEST"
mv "$work" "$BACKUP_DIR/daily/$stamp"
trap - EXIT

# Weekly copy: on Sundays, or when the newest weekly copy is more than 6 days old.
newest_weekly="$(ls -1 "$BACKUP_DIR/weekly" 2>/dev/null | sort | tail -n 1 || true)"
if [ "$(date -u +%u)" = 7 ] || [ -z "$newest_weekly" ] || \
   [ -n "$(find "$BACKUP_DIR/weekly/$newest_weekly" -maxdepth 0 -mtime +6 2>/dev/null)" ]; then
  cp -al "$BACKUP_DIR/daily/$stamp" "$BACKUP_DIR/weekly/$stamp" 2>/dev/null || cp -a "$BACKUP_DIR/daily/$stamp" "$BACKUP_DIR/weekly/$stamp"
fi

prune() {  # keep the newest $2 folders in $1
  ls -1 "$1" | grep -v '^\.' | sort -r | tail -n +"$(( $2 + 1 ))" | while read -r old; do rm -rf "${1:?}/$old"; done
}
prune "$BACKUP_DIR/daily" "$KEEP_DAILY"
prune "$BACKUP_DIR/weekly" "$KEEP_WEEKLY"
echo "backup: $BACKUP_DIR/daily/$stamp ($(du -sh "$BACKUP_DIR/daily/$stamp" | cut -f1), $(( $(date +%s) - started )) s)"
