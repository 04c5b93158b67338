import { describe, expect, it } from "vitest";
import { loadEnv } from "./env";

describe("sandbox env", () => {
  it("defaults to port 4010 on loopback with the control API off", () => {
    expect(loadEnv({})).toEqual({
      SANDBOX_PORT: 4010,
      SANDBOX_HOST: "127.0.0.1",
      SANDBOX_CONTROL: false,
    });
  });

  it("turns the control API on only when asked, and names a bad variable", () => {
    expect(loadEnv({ SANDBOX_CONTROL: "true", SANDBOX_PORT: "0" })).toMatchObject({
      SANDBOX_CONTROL: true,
      SANDBOX_PORT: 0,
    });
    expect(() => loadEnv({ SANDBOX_CONTROL: "yes" })).toThrow(/SANDBOX_CONTROL/);
    expect(() => loadEnv({ SANDBOX_PORT: "http" })).toThrow(/SANDBOX_PORT/);
  });
});
