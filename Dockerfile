# vobiz-mock: docker build -t vobiz-mock . && docker run --rm -p 4010:4010 vobiz-mock
# Both stages use the same image: the V8 code cache made by the build is only valid for the same Node.

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY fixtures ./fixtures
COPY src ./src
RUN npm run build

FROM node:24-slim
# docker build --build-arg REVISION=$(git rev-parse HEAD) --build-arg SOURCE=<repository URL> -t vobiz-mock .
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG SOURCE=
LABEL org.opencontainers.image.title="vobiz-mock" \
      org.opencontainers.image.description="Local emulator of the Vobiz Account API" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}"
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4010
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY fixtures ./fixtures
COPY openapi ./openapi
COPY --from=build /app/dist ./dist
USER node
EXPOSE 4010
# Healthy about 2 s after start, at a cost of about a millisecond a check: bash's /dev/tcp, no node, no curl.
HEALTHCHECK --interval=2s --timeout=2s --start-period=10s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT:-4010} && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && read -r -t 2 status <&3 && [[ $status == *' 200 '* ]]"]
CMD ["node", "dist/bin.js"]
