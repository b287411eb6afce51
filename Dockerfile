# syntax=docker/dockerfile:1
# AqStream image (docs/deployment.md). Three targets:
#   build    — dependencies, Prisma client, `next build` (output: standalone, completed by scripts/lib/standalone.mjs)
#   migrate  — the same tree, runs `prisma migrate deploy` once per release:  docker compose run --rm migrate
#   runtime  — (default) only .next/standalone: the production server, as a non-root user
# The build prerenders pages that read settings: it needs DATABASE_URL and AUTH_SECRET values, not a
# database (the defaults below are placeholders that never reach the runtime image).

FROM node:20-slim AS deps
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npx prisma generate
ARG BUILD_DATABASE_URL=postgresql://build@127.0.0.1:5432/build
ARG BUILD_AUTH_SECRET=build-time-placeholder-not-used-at-runtime-0000
RUN DATABASE_URL="$BUILD_DATABASE_URL" AUTH_SECRET="$BUILD_AUTH_SECRET" node scripts/build.mjs

FROM build AS migrate
ENV NODE_ENV=production
CMD ["node", "scripts/db.mjs", "migrate"]

FROM node:20-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    AUTH_TRUST_HOST=true \
    MEDIA_DIR=/app/.data/media
# The standalone server: traced node_modules, .next (its ISR cache is written here), public/, and the
# production server scripts (scripts/server.mjs: client address, CSP; scripts/cluster.mjs: the supervisor).
COPY --from=build --chown=node:node /app/.next/standalone ./
RUN mkdir -p /app/.data/media && chown -R node:node /app/.data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.SERVER_ROLE==='worker'?process.env.WORKER_PORT:process.env.PORT)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Web processes on every core of the container + the worker; in compose: SERVER_ROLE=web here and a
# separate worker container (node scripts/server.mjs with SERVER_ROLE=worker).
CMD ["node", "scripts/cluster.mjs"]
