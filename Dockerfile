# One image for both halves of LAPOR KAND4; docker-compose picks the role.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY app ./app
COPY api ./api
COPY activities ./activities
COPY db ./db
COPY domain ./domain
COPY worker ./worker
COPY workflows ./workflows
COPY tsconfig.json ./
USER node
EXPOSE 3000
CMD ["npx", "tsx", "app/main.ts", "--role=api"]
