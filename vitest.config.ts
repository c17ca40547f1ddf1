import { defineConfig } from 'vitest/config';

// One run for the whole repository: each workspace is a Vitest project with its own config.
export default defineConfig({
  test: {
    projects: ['backend', 'frontend', 'scripts'],
  },
});
