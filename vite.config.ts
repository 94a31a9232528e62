import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is one static bundle, served from app:// in Electron and by `firebreak serve` in browser mode.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
});
