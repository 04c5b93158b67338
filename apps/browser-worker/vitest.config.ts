import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "browser-worker",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Real Chromium: a live login takes a second or two, more on a loaded 2-core box.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
