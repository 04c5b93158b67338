# syntax=docker/dockerfile:1
# The API image: Fastify API + built SPA (served when WEB_DIST is set) + the jobs process
# (same image, `apps/api/src/jobs/main.ts`). Apps run their TypeScript sources with tsx;
# only apps/web has a build step.
#
# Build from the repository root (the context must be the whole monorepo):
#   docker build -f deploy/docker/api.Dockerfile -t meterlink/api:dev .
#
# The Node version is pinned to the one in package-lock.json (the `node` devDependency
# that `npm run` uses), so the image runs exactly what dev and CI run; deploy/dockerfiles.test.ts
# fails when they drift. It is also pinned to the digest of that tag's multi-platform
# index, so a rebuild gets the same base bytes; docs/scaling.md says how to move it.

# --- manifests: only what `npm ci` reads, so the dependency layers are cached until the
# lockfile or a workspace's package.json changes. Every workspace must be listed: npm ci
# refuses a lockfile whose workspaces are missing.
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

# --- web: the SPA bundle. Needs the dev dependencies (vite, tailwind). Install scripts
# are skipped: nothing the build uses needs one, and the `node` devDependency's script
# would download a second Node. Vite runs on the image's Node directly for the same reason.
FROM manifests AS web
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN cd apps/web && node ../../node_modules/vite/bin/vite.js build

# --- app: production dependencies + sources. tsx is what runs the sources, so the build
# fails loudly here rather than the container failing at start if it ever stops being
# installed with --omit=dev (today it comes in through the api's dependencies; it
# belongs in apps/api's own "dependencies").
FROM manifests AS app
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund
RUN test -f node_modules/tsx/package.json \
 || { echo "tsx is not installed with --omit=dev: add it to apps/api dependencies" >&2; exit 1; }
COPY . .
COPY --from=web /app/apps/web/dist apps/web/dist

# --- runtime
FROM node:24.21.0-bookworm-slim@sha256:0e0ff40c39bc087845bfb27465a0df4ea419520094bc35842ff83dd8cbe6f9b6
# A fixed numeric uid so Kubernetes can verify runAsNonRoot without a passwd lookup.
# /var/lib/meterlink/bills is the jobs process's STORAGE_DIR, a volume in both deploy/k8s
# and deploy/compose.yaml; owned by the app user here so that a new Docker volume, which
# copies the image's directory, is writable (Kubernetes uses fsGroup instead).
RUN groupadd --system --gid 10001 meterlink \
 && useradd --system --uid 10001 --gid 10001 --home-dir /home/meterlink --create-home \
      --shell /usr/sbin/nologin meterlink \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/meterlink/bills
WORKDIR /app
# Owned by root and not writable by the app user: a compromised process cannot rewrite
# the code it runs. The app writes nothing under /app.
COPY --from=app /app /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    WEB_DIST=/app/apps/web/dist
USER 10001:10001
EXPOSE 3000
# No curl in the slim image: Node's fetch checks liveness (not readiness: a database
# outage must not make Docker restart every replica).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself (apps/api/src/main.ts closes the server).
# The jobs Deployment overrides this with apps/api/src/jobs/main.ts.
CMD ["node", "--import", "tsx", "apps/api/src/main.ts"]
