import { defineConfig } from 'vite';

// The gateway serves this build at `/` (and proxies nothing: the API is on the same origin).
export default defineConfig({
  base: '/',
  // Plugin timing reports are noise in `make frontends`.
  build: { rolldownOptions: { checks: { pluginTimings: false } } },
  server: { proxy: { '/api': process.env.SHOPFN_URL || 'http://127.0.0.1:8080' } },
});
