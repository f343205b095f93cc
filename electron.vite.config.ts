import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

/**
 * Three builds: the main process (the Electron shell, plus the Node-only web mode and CLI
 * entries, which never load electron), the preload, and the renderer served to both.
 */
export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          web: resolve(__dirname, 'src/main/web.ts'),
          // Job bodies run in worker threads from their own entry (out/main/job-worker.js).
          'job-worker': resolve(__dirname, 'src/main/engine/jobs/job-worker.ts'),
          // The SQL console's queries run in a worker thread of their own (out/main/query-worker.js).
          'query-worker': resolve(__dirname, 'src/main/engine/sql/query-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
