import { defineConfig } from 'vitest/config';

// Three projects, one per kind of prerequisite: `unit` runs anywhere, `linux` needs
// root + overlayfs + an OCI runtime, `browser` needs Debian's chromium and a built
// site. With CI=true a missing prerequisite fails instead of skipping
// (test/support/prereqs.ts).
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.linux.test.ts', 'test/**/*.browser.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'linux',
          include: ['test/**/*.linux.test.ts'],
          environment: 'node',
          // Real mounts and containers: one file at a time keeps the host's state readable.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/**/*.browser.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          globalSetup: ['test/support/site-server.global.ts'],
        },
      },
    ],
  },
});
