import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { cataloguePlugin } from './scripts/catalogue-plugin';

export default defineConfig({
  plugins: [react(), cataloguePlugin(fileURLToPath(new URL('./src', import.meta.url)))],
  test: {
    name: 'frontend',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    environment: 'jsdom',
    // A real backend (this repository's, on a test database) listens for the whole run.
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
