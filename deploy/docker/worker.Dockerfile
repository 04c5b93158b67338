# syntax=docker/dockerfile:1
# The browser-worker image: Node + Debian's Chromium, run as a non-root user with
# Chromium's own sandbox ON. Non-root Chromium sandboxes its renderers with unprivileged
# user namespaces (Debian ships no setuid helper), which the container runtime's default
# seccomp profile forbids: run it with deploy/docker/chromium-seccomp.json
# (docker run --security-opt seccomp=deploy/docker/chromium-seccomp.json ...; in
# Kubernetes a Localhost seccomp profile, see docs/scaling.md). Never --no-sandbox: the
# worker adds it only when it finds itself running as root, which this image never does.
#
# Build from the repository root:
#   docker build -f deploy/docker/worker.Dockerfile -t meterlink/browser-worker:dev .

# The base is pinned to the project's Node version and to that tag's digest, as in
# api.Dockerfile (docs/scaling.md says how to move it).

# --- manifests: only what `npm ci` reads (every workspace: npm ci refuses a lockfile
# whose workspaces are missing).
FROM node:24.21.0-bookworm-slim@sha256:0e0ff40c39bc087845bfb27465a0df4ea419520094bc35842ff83dd8cbe6f9b6 AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/browser-worker/package.json apps/browser-worker/
COPY apps/mail-sink/package.json apps/mail-sink/
COPY apps/utility-sandbox/package.json apps/utility-sandbox/
COPY apps/web/package.json apps/web/
COPY packages/client/package.json packages/client/
COPY packages/db/package.json packages/db/
COPY packages/shared/package.json packages/shared/

# --- app: production dependencies + sources. puppeteer-core downloads no browser.
FROM manifests AS app
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund
RUN test -f node_modules/tsx/package.json \
 || { echo "tsx is not installed with --omit=dev: add it to apps/browser-worker dependencies" >&2; exit 1; }
COPY . .

# --- runtime
FROM node:24.21.0-bookworm-slim@sha256:0e0ff40c39bc087845bfb27465a0df4ea419520094bc35842ff83dd8cbe6f9b6
# chromium-headless-shell (the worker's browser: begin frames, docs/performance.md) and
# the full chromium (PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium, for a portal that
# refuses the shell) from Debian stable (security updates through bookworm-security: rebuild the
# image weekly rather than pinning a version that stops getting fixes). Fonts so utility
# portals render legibly in Latin, Greek, Cyrillic and emoji; tini reaps Chromium's
# zombie children and forwards SIGTERM to the worker only (not to the process group:
# the worker drains its sessions first and closes Chromium itself).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      chromium \
      chromium-headless-shell \
      fonts-liberation \
      fonts-dejavu-core \
      fonts-noto-color-emoji \
      fonts-freefont-ttf \
      ca-certificates \
      tini \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 meterlink \
 && useradd --system --uid 10001 --gid 10001 --home-dir /home/meterlink --create-home \
      --shell /usr/sbin/nologin meterlink
WORKDIR /app
COPY --from=app /app /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4030 \
    PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium-headless-shell \
    HOME=/tmp/home \
    XDG_CONFIG_HOME=/tmp/home/.config \
    XDG_CACHE_HOME=/tmp/home/.cache
USER 10001:10001
EXPOSE 4030
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4030)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--import", "tsx", "apps/browser-worker/src/main.ts"]
