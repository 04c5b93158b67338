import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "web",
    include: ["src/**/*.test.{ts,tsx}", "e2e/**/*.e2e.test.ts"],
    globalSetup: ["./e2e/global-setup.ts"],
    // Real Chromium against the real stack on a loaded 2-core machine.
    testTimeout: 60_000,
    // expect.poll waits for what a real browser does next; 1 s (its default) is too
    // short for a loaded CI box, and a condition that never holds still fails.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 120_000,
  },
});
