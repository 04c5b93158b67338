import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "utility-sandbox", include: ["src/**/*.test.ts", "test/**/*.test.ts"] },
});
