/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The workbench: built to apps/web/dist, which the API serves at `/` (same origin, no CORS).
 * `npx vite apps/web` runs a dev server that proxies /api to the API on localhost:3000.
 * Component tests (Vitest + Testing Library, jsdom) live in apps/web/test.
 */
export default defineConfig({
  root: __dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 2500 },
  server: { proxy: { '/api': 'http://localhost:3000' } },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.tsx', 'test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    css: false,
  },
});
