# syntax=docker/dockerfile:1
# The driftwatch image: the aggregator (`driftwatch serve`, the default command) and, from the same
# build, the example churn model server and traffic generator (docker-compose.yml overrides the entrypoint).
#
#   docker build -t driftwatch .
#   docker run --rm -p 127.0.0.1:4318:4318 -p 127.0.0.1:9464:9464 \
#     -e DRIFTWATCH_INGEST_TOKEN=... -e DRIFTWATCH_ADMIN_TOKEN=... driftwatch
#
# The container binds 0.0.0.0 (DRIFTWATCH_HOST), so the aggregator refuses to start without both tokens.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 downloads a prebuilt binary when one matches; these build it from source otherwise.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*

# Dependencies first (cached while only sources change): the lockfile and every workspace's package.json.
COPY package.json package-lock.json ./
COPY packages/stats/package.json packages/stats/
COPY packages/otlp/package.json packages/otlp/
COPY packages/instrument/package.json packages/instrument/
COPY packages/lifecycle/package.json packages/lifecycle/
COPY packages/aggregator/package.json packages/aggregator/
COPY examples/churn/package.json examples/churn/
RUN npm ci --no-audit --no-fund

# Sources, then the workspace build (tsc --build over the project references).
COPY tsconfig.base.json tsconfig.json ./
COPY packages packages
COPY examples/churn examples/churn
RUN npm run build

# The example's model artifact (seeded, so every build trains the same model): artifacts/churn/1.
RUN node examples/churn/dist/train.js --version 1

# Runtime dependencies only.
RUN npm prune --omit=dev --no-audit --no-fund


FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    DRIFTWATCH_HOST=0.0.0.0 \
    DRIFTWATCH_OTLP_PORT=4318 \
    DRIFTWATCH_HTTP_PORT=9464 \
    DRIFTWATCH_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/packages packages
COPY --from=build /app/examples/churn examples/churn
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# OTLP/HTTP receiver, and /metrics + API + UI
EXPOSE 4318 9464
ENTRYPOINT ["node", "packages/aggregator/dist/cli/main.js"]
CMD ["serve"]
