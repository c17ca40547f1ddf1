import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { cataloguePlugin } from './scripts/catalogue-plugin';

// In development the SPA, the API and the bucket share one origin, as behind nginx: /api goes to
// the backend, /<bucket>/ (presigned uploads and downloads) to the S3 server, Host unchanged.
const bucket = process.env.S3_BUCKET ?? 'homeport-dev';
const s3 = process.env.S3_ENDPOINT ?? 'http://127.0.0.1:4569';

export default defineConfig({
  plugins: [react(), cataloguePlugin(fileURLToPath(new URL('./src', import.meta.url)))],
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
      [`/${bucket}/`]: { target: s3, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    sourcemap: true,
  },
});
