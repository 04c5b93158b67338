import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { createLogger, defineConfig } from "vite";

// In dev the API runs beside Vite; the browser still sees one origin, as in production
// where the API serves the built SPA.
const api = process.env.METERLINK_API_URL ?? "http://127.0.0.1:3000";

// A recipient who closes the tab resets the live stream's socket; Vite reports each as a
// "ws proxy error" with a stack, which reads like a failure in the dev console. Only that
// one ordinary event is dropped; every other error is logged as Vite logs it.
const logger = createLogger();
const logError = logger.error.bind(logger);
logger.error = (message, options) => {
  const code = (options?.error as NodeJS.ErrnoException | undefined)?.code;
  if (message.includes("ws proxy") && (code === "ECONNRESET" || code === "EPIPE")) return;
  logError(message, options);
};

export default defineConfig({
  customLogger: logger,
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
