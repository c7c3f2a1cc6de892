# syntax=docker/dockerfile:1
# One image for both processes: the API (which also serves the web workbench at /) by default, the worker with
# `node dist/apps/worker/main.js` (docker-compose.yml sets each command).

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Install scripts are skipped in both stages: tsc needs none, and those in the tree are either what
# package.json's allowScripts denies (swc, protobufjs, scarf) or embedded-postgres' library links,
# which only the embedded dev stack uses — here PostgreSQL is a real server.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build && npm run web:build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# Optional dependencies stay: @temporalio/worker bundles workflow code with @swc/core's native binary.
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund
# Root-owned and read-only to the process that runs it.
COPY --from=build /app/dist ./dist
# The web workbench, served by the API at / (same origin).
COPY --from=build /app/apps/web/dist ./apps/web/dist
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/main.js"]
