import { defineConfig, loadEnv } from 'vite';
import react from '@vitejs/plugin-react';

// The API server (server/) listens on :3000 and serves web/dist in production;
// in development Vite serves the app and forwards /api (and /print) to it (RXDESK_API_URL to point elsewhere).
export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, '.', 'RXDESK_');
  return {
    plugins: [react()],
    server: {
      port: 5173,
      proxy: {
        '/api': { target: env.RXDESK_API_URL || 'http://127.0.0.1:3000' },
        // the print views' static script (server/src/kernel/print)
        '/print': { target: env.RXDESK_API_URL || 'http://127.0.0.1:3000' },
      },
    },
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      chunkSizeWarningLimit: 1000,
      rolldownOptions: {
        output: {
          // React and friends change less often than our code: their own chunk stays cached across releases.
          // antd is left to the automatic split so admin-only parts (Table, Tree) load with the admin pages.
          codeSplitting: {
            groups: [
              {
                name: 'vendor-react',
                test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler|@tanstack|i18next|react-i18next|dayjs)[\\/]/,
              },
            ],
          },
        },
      },
    },
  };
});
