import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  base: '/svelte/',
  plugins: [svelte()],
  // Plugin timing reports are noise in `make frontends`.
  build: { rolldownOptions: { checks: { pluginTimings: false } } },
  server: { proxy: { '/api': process.env.SHOPFN_URL || 'http://127.0.0.1:8080' } },
});
