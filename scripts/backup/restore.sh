#!/usr/bin/env bash
# Restore one backup made by backup.sh into an EMPTY database and an EMPTY uploads folder.
#
#   restore.sh BACKUP_FOLDER
#
# Environment: PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE (the target database; it must exist and be empty, and
# PGUSER should be the role that will own the tables), UPLOADS_DIR (target folder), BACKUP_PASSPHRASE_FILE.
# The manifest's checksums are verified before anything is written. See docs/operations.md.
set -euo pipefail
src="${1:?usage: restore.sh BACKUP_FOLDER}"
: "${UPLOADS_DIR:?set UPLOADS_DIR}" "${BACKUP_PASSPHRASE_FILE:?set BACKUP_PASSPHRASE_FILE}" "${PGDATABASE:?set PGDATABASE}"

(cd "$src" && sha256sum --quiet --check SHA256SUMS) || { echo "restore: checksums do not match; stopping" >&2; exit 1; }
tables="$(psql -X --no-password -Atc "select count(*) from pg_tables where schemaname = 'public'")"
[ "$tables" = 0 ] || { echo "restore: $PGDATABASE is not empty ($tables tables); restore into a new database" >&2; exit 1; }
mkdir -p "$UPLOADS_DIR"
[ -z "$(ls -A "$UPLOADS_DIR")" ] || { echo "restore: $UPLOADS_DIR is not empty" >&2; exit 1; }

decrypt() {
  gpg --batch --quiet --pinentry-mode loopback --passphrase-file "$BACKUP_PASSPHRASE_FILE" --decrypt "$1"
}

started=$(date +%s)
decrypt "$src/database.dump.gpg" | pg_restore --exit-on-error --no-password --dbname "$PGDATABASE"
decrypt "$src/uploads.tar.gz.gpg" | tar -C "$UPLOADS_DIR" -xzf -
echo "restore: $src into $PGDATABASE and $UPLOADS_DIR in $(( $(date +%s) - started )) s"
