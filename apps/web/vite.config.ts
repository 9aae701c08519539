import { defineConfig } from 'vite';

// Two pages, every script bundled into dist/ and served by the tessera command: no CDN.
export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    rollupOptions: { input: { playground: 'playground.html', dashboard: 'dashboard.html' } },
  },
});
