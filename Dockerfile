# crosscheck worker image. Pinned base, non-root user, health check on /livez.
FROM python:3.11.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 crosscheck \
 && useradd --system --uid 10001 --gid crosscheck --home-dir /app --shell /usr/sbin/nologin crosscheck

WORKDIR /app
COPY pyproject.toml README.md ./
COPY worker ./worker
COPY schemas ./schemas
COPY seeds ./seeds
RUN pip install -e . && mkdir -p /app/data && chown -R crosscheck:crosscheck /app/data

USER crosscheck
ENV CROSSCHECK_DATA_DIR=/app/data \
    CROSSCHECK_WEB_HOST=0.0.0.0 \
    CROSSCHECK_WEB_PORT=6066
EXPOSE 6066

HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD python -c "import os,urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/livez' % os.environ.get('CROSSCHECK_WEB_PORT','6066'), timeout=2)"

ENTRYPOINT ["crosscheck"]
CMD ["worker"]
