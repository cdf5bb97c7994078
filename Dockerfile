# Production image: compiled JavaScript, production dependencies only, non-root, health-checked.
# Sandbox mode is for laptops (npm ci && npm start); this image needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET.
# Node 22 (LTS): the AWS SDK releases after the first week of January 2027 need it; package.json still allows 20.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000
# Memory settings only a process's start can make (src/runtime.ts, PROCESS_START, says why and what they buy).
ENV MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=16384
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# SIGTERM lets in-flight work finish (main.ts); node runs as PID 1 here, so it receives it directly.
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=8", "--single-threaded-gc", "dist/main.js"]
