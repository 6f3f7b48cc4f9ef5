# Engage: one image for the web servers and the scheduler (compose.yaml runs both from it).
# Built elsewhere: the development machines and CI of this project have no container engine, so CI
# checks what the image relies on instead (the wheel installs in a fresh venv and serves pages).
FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY engage engage
COPY templates templates
COPY static static
COPY migrations migrations
RUN pip wheel --no-cache-dir --wheel-dir /wheels '.[s3]'

FROM python:3.11-slim-bookworm
# WeasyPrint's libraries (Pango, HarfBuzz with subsetting), the CJK font for 简体中文 PDFs,
# pg_dump/pg_restore for `flask engage backup` on PostgreSQL.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-wqy-microhei \
      postgresql-client \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links=/wheels 'engage[s3]' && rm -rf /wheels
COPY gunicorn.conf.py /app/gunicorn.conf.py

RUN useradd --system --uid 10001 --home-dir /var/lib/engage --create-home engage
USER engage
WORKDIR /app
ENV ENGAGE_ENV=production \
    ENGAGE_INSTANCE_PATH=/var/lib/engage \
    PROMETHEUS_MULTIPROC_DIR=/tmp/engage-prometheus \
    FLASK_APP=engage \
    PYTHONUNBUFFERED=1
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
CMD ["gunicorn", "--workers", "4", "--bind", "0.0.0.0:8000", "engage:create_app()"]
