# The production image: the app, gunicorn and Celery. Configuration comes only from the environment.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LANSKOMPOTT_VAR_DIR=/app/var

# Pango and a font for WeasyPrint's PDFs; gettext to compile the translations.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The lock pins every package, so every build gets the same versions.
COPY requirements/lock.txt requirements/lock.txt
RUN pip install -r requirements/lock.txt

COPY . .
RUN DJANGO_DEBUG=true python manage.py compilemessages --ignore=.venv -v 0 \
    && useradd --system --uid 10001 --no-create-home --home-dir /app lanskompott \
    && mkdir -p /app/var/staticfiles /app/var/celery \
    && chown -R lanskompott /app/var

USER lanskompott
EXPOSE 8000
CMD ["gunicorn", "lanskompott.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
