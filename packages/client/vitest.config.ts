import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "client",
    include: ["src/**/*.test.ts"],
    // Real PostgreSQL, Chromium and processes on a loaded 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
