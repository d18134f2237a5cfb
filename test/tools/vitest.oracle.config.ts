import { defineConfig } from 'vitest/config';

// `npm run test:oracle`: checks against the Docker oracle (a real daemon), kept out of
// `npm test` because CI does not start one. Needs root, Debian's docker.io, runc.
export default defineConfig({
  test: {
    include: ['test/tools/*.oracle-test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
