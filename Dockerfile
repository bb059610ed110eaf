# Production image: gunicorn for the web, the same image for the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY frontend/package.json frontend/package-lock.json frontend/
RUN npm ci --prefix frontend --no-audit --no-fund
COPY frontend frontend
RUN npm run --prefix frontend build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
COPY --from=assets /app/static/dist static/dist
RUN DJANGO_ENV=production DJANGO_SECRET_KEY=collectstatic-only-collectstatic-only-collectstatic-only \
    DJANGO_ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput
RUN useradd --system --uid 1000 iro && mkdir -p /app/var && chown iro /app/var
USER iro
EXPOSE 8000
CMD ["gunicorn", "iro_service.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
