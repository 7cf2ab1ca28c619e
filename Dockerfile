# Production image: the app only; PostGIS comes from docker-compose.yml (or DATABASE_URL).
FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
# pg_dump and pg_restore for `morharita backup` / `restore` (the same major version as db).
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md constraints.txt ./
COPY app ./app
# Editable, so the package finds frontend/, migrations/ and data/ beside it in /app.
RUN pip install --quiet -c constraints.txt -e .
COPY alembic.ini ./
COPY migrations ./migrations
COPY data ./data
# Interface translations (compiled in memory at start-up) and their extraction map.
COPY translations ./translations
COPY babel.cfg ./
COPY frontend/templates ./frontend/templates
COPY frontend/static ./frontend/static
COPY --from=frontend /src/frontend/node_modules ./frontend/node_modules
RUN useradd --system --uid 10001 morharita && chown -R morharita /app
USER morharita
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health').status != 200)"
# Worker processes: MORHARITA_WORKERS (default 2 here), each with its own pool of
# MORHARITA_DB_POOL_SIZE + MORHARITA_DB_MAX_OVERFLOW connections.
ENV MORHARITA_WORKERS=2
CMD ["sh", "-c", "morharita migrate && morharita serve --host 0.0.0.0 --port 8000"]
