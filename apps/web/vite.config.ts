import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// In dev the API runs beside Vite; the browser still sees one origin, as in production
// where the API serves the built SPA.
const api = process.env.METERLINK_API_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: {
    host: "127.0.0.1",
    strictPort: true,
    proxy: {
      "/trpc": api,
      "/api": api,
      "/stream": { target: api, ws: true },
      "/healthz": api,
      // Uploaded brand files (the recipient page's font, email logos).
      "/brand": api,
    },
  },
  build: { outDir: "dist", sourcemap: true },
});
