import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

export default defineConfig({
  base: '/solid/',
  plugins: [solid()],
  // Plugin timing reports are noise in `make frontends`.
  build: { rolldownOptions: { checks: { pluginTimings: false } } },
  server: { proxy: { '/api': process.env.SHOPFN_URL || 'http://127.0.0.1:8080' } },
});
