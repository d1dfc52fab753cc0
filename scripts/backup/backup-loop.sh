#!/usr/bin/env bash
# The backup service's loop (docker-compose.yml): one backup a day at BACKUP_AT (UTC, HH:MM; default 02:30).
set -euo pipefail
at="${BACKUP_AT:-02:30}"
while true; do
  now=$(date -u +%s)
  next=$(date -u -d "today $at" +%s)
  [ "$next" -gt "$now" ] || next=$(date -u -d "tomorrow $at" +%s)
  sleep $(( next - now ))
  /app/scripts/backup/backup.sh || echo "backup: FAILED at $(date -u)" >&2
done
