# syntax=docker/dockerfile:1
# One image for every shopfn function; each Knative Service picks its function with
# `--target <name>` (and FUNCTION_TARGET). All functions, consumers included, use the http
# signature: consumers parse the CloudEvent themselves.

ARG PYTHON_IMAGE=python:3.13-slim-bookworm

# ---- build: a virtualenv with the package and its runtime dependencies (no dev extras) ----
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/shopfn
WORKDIR /src
COPY pyproject.toml ./
COPY shared/ shared/
COPY functions/ functions/
RUN /opt/shopfn/bin/pip install --no-cache-dir . \
 && /opt/shopfn/bin/python -m compileall -q /opt/shopfn/lib

# ---- runtime: the virtualenv and the event schemas, nothing else ----
FROM ${PYTHON_IMAGE} AS runtime
ARG PYTHON_VERSION=3.13
LABEL org.opencontainers.image.title="shopfn" \
      org.opencontainers.image.description="shopfn functions (functions-framework, http signature)"
RUN groupadd --system --gid 10001 shopfn \
 && useradd --system --uid 10001 --gid shopfn --no-create-home --home-dir /nonexistent shopfn
COPY --from=build /opt/shopfn /opt/shopfn
COPY events/ /opt/shopfn/events/
ENV PATH=/opt/shopfn/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PORT=8080 \
    SHOPFN_EVENTS_DIR=/opt/shopfn/events \
    FUNCTION_SIGNATURE_TYPE=http \
    FUNCTION_SOURCE=/opt/shopfn/lib/python${PYTHON_VERSION}/site-packages/shopfn/entry.py
# Fails the build if the Python version moved and FUNCTION_SOURCE no longer points at entry.py.
RUN test -f "${FUNCTION_SOURCE}"
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["functions-framework", "--signature-type", "http"]
CMD ["--help"]
