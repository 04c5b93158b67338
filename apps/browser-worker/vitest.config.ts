import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "browser-worker",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Real Chromium: a live login takes a second or two, more on a loaded 2-core box.
    testTimeout: 30_000,
    // expect.poll waits for what a real browser does next; 1 s (its default) is too
    // short for a loaded CI box, and a condition that never holds still fails.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 60_000,
  },
});
