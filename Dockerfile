# One image for the worker and the API (docker-compose.yml picks the command).
FROM node:20-bookworm-slim
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx tsx scripts/build-web.ts && npx tsx scripts/bundle-workflows.ts dist/workflow-bundle.js
ENV PAPRIKA_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
CMD ["npm", "run", "api"]
