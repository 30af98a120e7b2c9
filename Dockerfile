# syntax=docker/dockerfile:1
# One image for every process type of the Procfile: the command picks the process (see
# docker-compose.yml). It holds compiled JavaScript and production dependencies only: no
# TypeScript loader, compiler or test tooling runs in production.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workers ./workers
COPY ops ./ops
RUN npm run build

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# valibot (under @bull-board/api) names TypeScript an optional peer, and npm installs an optional
# peer that the lockfile holds (ours, for the build) even with --omit=dev: 24 of the 94 MB, which
# nothing imports at run time. `--omit=optional` would drop it too, but also msgpackr's native
# decoder that BullMQ uses, so only TypeScript goes.
RUN npm ci --omit=dev --no-audit --no-fund \
  && rm -rf node_modules/typescript node_modules/.bin/tsc node_modules/.bin/tsserver

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json Procfile ./
USER node
EXPOSE 3000
# The one-off commands run the same way: node dist/ops/migrate.js, replay-failed.js, keys.js,
# generate.js, load.js, rebuild.js.
CMD ["node", "dist/src/api/main.js"]
