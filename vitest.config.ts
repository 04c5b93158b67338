import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["./scripts/vitest-global-setup.ts"],
    projects: ["apps/*", "packages/*", "deploy"],
    // Real Chromium and PostgreSQL on two cores: leave one core for the servers under test.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
