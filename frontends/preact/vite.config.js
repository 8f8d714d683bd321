import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

export default defineConfig({
  base: '/preact/',
  plugins: [preact()],
  // Plugin timing reports are noise in `make frontends`.
  build: { rolldownOptions: { checks: { pluginTimings: false } } },
  server: { proxy: { '/api': process.env.SHOPFN_URL || 'http://127.0.0.1:8080' } },
});
