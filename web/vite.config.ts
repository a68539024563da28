import { defineConfig } from 'vite';

// The console is served by the gateway at /console/ (src/console/console-assets.ts).
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // One small bundle: no source maps shipped, no inline data URLs (the CSP allows data: images only).
    sourcemap: false,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 400,
  },
});
