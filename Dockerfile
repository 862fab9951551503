# Three stages: build (compile), tools (the compose stack's certs job and e2e runner), runtime
# (the image that runs the service; the default target). No private key is ever built into an
# image: certificates come from volumes or secrets at run time (.dockerignore drops certs/).

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/nest-mtls-auth/package.json ./packages/nest-mtls-auth/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY packages/nest-mtls-auth ./packages/nest-mtls-auth
COPY src ./src
RUN npm run build

# Development tools for docker-compose.yml, run as the unprivileged "node" user. The folders a
# named volume is mounted on are made here, owned by "node": Docker gives a new, empty volume the
# owner of the folder it is first mounted on, so the certs job can write into them.
FROM build AS tools
COPY scripts ./scripts
RUN mkdir -p /app/certs /out/app /out/nginx /out/e2e \
  && chown node:node /app/certs /out/app /out/nginx /out/e2e
USER node

# The service: production dependencies and compiled code only, as "node" (uid 1000).
FROM node:24-slim AS runtime
ENV NODE_ENV=production \
    MANAGEMENT_PORT=9000
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/nest-mtls-auth/package.json ./packages/nest-mtls-auth/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/packages/nest-mtls-auth/dist ./packages/nest-mtls-auth/dist
COPY --from=build /app/dist ./dist
USER node
# 8443: the service (TLS); 9000: the probes (/health/live, /health/ready, /health) and /metrics
# over plain HTTP, for probes and the scraper only.
EXPOSE 8443 9000
# Readiness: Docker only records this state, and what reads it (Compose's service_healthy, which
# starts nginx) wants "can serve callers". Where an unhealthy container is restarted instead
# (Swarm, autoheal), override it with `node dist/healthcheck.js live`: a restart mends a hung
# process, never an expired certificate.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "dist/healthcheck.js", "ready"]
CMD ["node", "dist/main.js"]
