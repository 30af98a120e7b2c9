# syntax=docker/dockerfile:1
# One image for every process type of the Procfile: the command picks the process
# (see docker-compose.yml). TypeScript runs through tsx, as everywhere in this project.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json Procfile ./
COPY src ./src
COPY workers ./workers
COPY ops ./ops
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "src/api/main.ts"]
