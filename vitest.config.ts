import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string): string => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@driftwatch/stats': src('stats'),
      '@driftwatch/instrument': src('instrument'),
      '@driftwatch/aggregator': src('aggregator'),
      '@driftwatch/otlp': src('otlp'),
      '@driftwatch/lifecycle': src('lifecycle'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts', 'test/**/*.test.ts', 'prometheus/**/*.test.ts', 'alertmanager/**/*.test.ts', 'grafana/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
