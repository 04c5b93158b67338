import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "browser-worker", include: ["src/**/*.test.ts", "test/**/*.test.ts"] },
});
