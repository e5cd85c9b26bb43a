# syntax=docker/dockerfile:1
# One image for the worker, the API, the codec server, the sandbox and the namespace setup; docker-compose.yml picks
# the process by command. Multi-stage: production dependencies are installed in `deps`, the runtime copies them and
# the sources only, and runs as the unprivileged `node` user.
# The TypeScript runs through tsx (a runtime dependency), as with `npm start`: no separate build output to drift.
ARG NODE_IMAGE=node:20-bookworm-slim

# Production dependencies only. glibc (bookworm), not musl: the Temporal worker's native bridge and @swc/core ship
# prebuilt binaries for linux-gnu.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
# GATEWAY_MODE=production: the gateway refuses to start on any secret this repository publishes, on a wallet URL at
# the sandbox, or with the sandbox merchant (domain/production-check.ts). NODE_ENV is Express's: no stack traces.
ENV GATEWAY_MODE=production NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# Source folders one by one (not `COPY . .`): node_modules, .tools and .data on the host stay out of the image.
# A new top-level source folder must be added here.
COPY package.json package-lock.json tsconfig.json ./
COPY domain ./domain
COPY wallets ./wallets
COPY platform ./platform
COPY workflows ./workflows
COPY activities ./activities
COPY workers ./workers
COPY api ./api
COPY sandbox ./sandbox
# The one-shot `temporal-setup` service of docker-compose.yml (namespace and search attributes).
COPY scripts/postgres/setup-namespace.ts ./scripts/postgres/setup-namespace.ts
# The code stays root-owned and read-only to the app; only DATA_DIR (the sandbox's saved state) is writable.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000 4000
CMD ["node", "--import", "tsx", "api/server.ts"]
