# Production image: gunicorn serving Django, static files through whitenoise. The same image runs the worker, beat
# and the nightly backup (pg_dump 15 and gpg, scripts/backup/).
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY scripts/vendor_assets.sh scripts/vendor_assets.sh
RUN sh scripts/vendor_assets.sh

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 RAPIDREVIEW_VAR_DIR=/var/lib/rapidreview
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation curl \
    postgresql-client-15 gnupg \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /app --uid 10001 rapidreview \
 && mkdir -p /var/lib/rapidreview/uploads /var/lib/rapidreview/backups && chown -R rapidreview /var/lib/rapidreview
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
RUN pip install --no-cache-dir -c constraints.txt .
COPY --chown=rapidreview . .
COPY --from=assets --chown=rapidreview /build/static/vendor static/vendor
# collectstatic (with production's manifest storage) needs settings but no database or broker; these values exist
# only for this build step.
RUN RAPIDREVIEW_ENV=production SECRET_KEY=build-only ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    CELERY_BROKER_URL=memory:// RAPIDREVIEW_VAR_DIR=/tmp/build-var \
    python manage.py collectstatic --noinput \
 && chown -R rapidreview /app/staticfiles
USER rapidreview
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
CMD ["gunicorn", "rapidreview.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
