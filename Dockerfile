# syntax=docker/dockerfile:1
# Switchyard gateway image: built with dev dependencies, run on a slim Node 20 LTS base with
# production dependencies only, as a non-root user, on a read-only root filesystem (only /data
# and /tmp are written). docs/cluster.md says how this file was checked and what the image weighs.
#
#   docker build -t switchyard .
#   docker run --read-only --tmpfs /tmp -p 8080:8080 -v switchyard-data:/data -e SWITCHYARD_API_KEY=sy-… switchyard

ARG NODE_IMAGE=node:20.20-bookworm-slim

# 1. Build: TypeScript → dist/ and the web console → web/dist/, with every dependency (the
#    compiler, Vite, types).
FROM node:20.20-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY web ./web
RUN npm run build

# 2. Production dependencies only, on the same Debian release as the runtime (better-sqlite3's
#    native addon must match its glibc). The full image has the compilers node-gyp falls back to.
FROM node:20.20-bookworm AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. Runtime.
FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="switchyard" \
      org.opencontainers.image.description="Self-hosted LLM control plane: one gateway that enforces where data may go, who may ask what, and who pays." \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/switchyard/switchyard" \
      org.opencontainers.image.documentation="https://github.com/switchyard/switchyard/blob/main/docs/cluster.md" \
      org.opencontainers.image.vendor="Switchyard" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="${NODE_IMAGE}"
ENV NODE_ENV=production \
    SWITCHYARD_CONFIG=/etc/switchyard/switchyard.yaml \
    SWITCHYARD_STORAGE_URL=sqlite:/data/switchyard.db
RUN groupadd --system --gid 10001 switchyard \
 && useradd --system --uid 10001 --gid switchyard --home-dir /data --no-create-home --shell /usr/sbin/nologin switchyard \
 && mkdir -p /data /etc/switchyard \
 && chown switchyard:switchyard /data
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /src/dist ./dist
COPY --from=build --chown=root:root /src/web/dist ./web/dist
COPY --chown=root:root package.json ./
COPY --chown=root:root examples ./examples
COPY --chown=root:root deploy/docker/switchyard.yaml /etc/switchyard/switchyard.yaml
# The only writable place (SQLite, the generated audit key); mount a volume here.
VOLUME ["/data"]
USER 10001:10001
EXPOSE 8080
# Liveness only (/healthz): a draining replica stays healthy while it finishes its streams.
# The port is the config's server.port (8080 in the default config).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM reaches node directly (exec form, PID 1): the gateway drains, then exits 0.
STOPSIGNAL SIGTERM
# Relative storage paths (e.g. examples/quickstart.yaml's sqlite:./data/…) land on the volume.
WORKDIR /data
# --max-semi-space-size=8: a smaller young generation keeps RSS under load ~45 MB lower at no
# measured CPU cost; --max-old-space-size=1024: the old generation grows ~1.6× past the live heap
# between full collections instead of ~4× (RSS peak under load 250 → 165 MB, same CPU). Both in
# bench/lib/gateway-node-flags.mjs, BENCHMARKS.md "Memory", docs/cluster.md (sizing; to change
# them override the entrypoint: NODE_OPTIONS cannot, command-line flags win over it).
ENTRYPOINT ["node", "--max-semi-space-size=8", "--max-old-space-size=1024", "/app/dist/cli/index.js"]
CMD ["serve", "--config", "/etc/switchyard/switchyard.yaml"]
