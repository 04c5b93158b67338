import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "mail-sink", include: ["src/**/*.test.ts", "test/**/*.test.ts"] },
});
