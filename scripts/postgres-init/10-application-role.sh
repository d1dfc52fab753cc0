#!/bin/sh
# Run once by the postgres image when its data volume is first created (docker-entrypoint-initdb.d).
# The tables belong to POSTGRES_USER (the owner: migrations and the retention review connect as it). The web,
# worker and beat connect as rapidreview_app, which may read and write rows but owns nothing: it cannot ALTER,
# TRUNCATE or DROP a table, nor disable the append-only triggers on the access log, signatures and history.
# docs/security.md, "The database".
set -eu
: "${APP_DB_PASSWORD:?set APP_DB_PASSWORD in .env}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v app_password="$APP_DB_PASSWORD" -v owner="$POSTGRES_USER" -v db="$POSTGRES_DB" <<'SQL'
CREATE ROLE rapidreview_app LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
GRANT CONNECT ON DATABASE :"db" TO rapidreview_app;
GRANT USAGE ON SCHEMA public TO rapidreview_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
-- Every table and sequence the owner's migrations create from now on: rows only, never the table itself.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO rapidreview_app;
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO rapidreview_app;
SQL
