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
LABEL org.opencontainers.image.title="vobiz-mock" \
      org.opencontainers.image.description="Local emulator of the Vobiz Account API (GET /api/v1/auth/me)" \
      org.opencontainers.image.licenses="MIT"
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4010
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY fixtures ./fixtures
COPY openapi ./openapi
COPY --from=build /app/dist ./dist
USER node
EXPOSE 4010
HEALTHCHECK --interval=5s --timeout=2s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4010)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/bin.js"]
