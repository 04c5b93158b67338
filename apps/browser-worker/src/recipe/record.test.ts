import { describe, expect, it } from "vitest";
import type { TCaptureReport } from "../capture/credentials";
import { RecipeRecorder } from "./record";

const origin = "https://power.example";
const report = (
  path: string,
  fields: { kind: "identifier" | "password" | "code"; selector: string }[],
  submit: string | null,
  values: Partial<TCaptureReport["fields"]> = {},
): TCaptureReport => ({
  trigger: "click",
  url: `${origin}${path}`,
  fields: { identifier: "", password: "", code: "", ...values },
  shape: {
    fields: fields.map((f) => ({ kind: f.kind, selectors: [f.selector] })),
    shadowHosts: [],
    submit: submit ? [submit] : null,
  },
});

describe("RecipeRecorder", () => {
  it("keeps a button pressed on a page between steps; not before the first, not on the step's page, not on the account", () => {
    const recorder = new RecipeRecorder();
    recorder.add(report("/login", [], "label=Accept cookies"));
    recorder.add(
      report("/login", [{ kind: "identifier", selector: "#email" }], "#next", {
        identifier: "jo@example.com",
      }),
    );
    recorder.add(report("/login", [], "label=Show password"));
    recorder.add(
      report("/login", [{ kind: "password", selector: "#pw" }], "#go", { password: "pw-secret-1" }),
    );
    recorder.add(
      report("/verify", [{ kind: "code", selector: "#otp" }], "#verify", { code: "482913" }),
    );
    recorder.add(report("/remember", [], "label=Not now"));
    recorder.add(report("/account", [], "label=Billing"));
    const recipe = recorder.build(`${origin}/account`);
    expect(recipe?.steps.map((s) => [s.framePath, s.fields.map((f) => f.kind)])).toEqual([
      ["/login", ["identifier"]],
      ["/login", ["password"]],
      ["/verify", ["code"]],
      ["/remember", []],
    ]);
    const stored = JSON.stringify(recipe);
    for (const secret of ["jo@example.com", "pw-secret-1", "482913"]) {
      expect(stored).not.toContain(secret);
    }
  });

  it("records nothing from buttons alone", () => {
    const recorder = new RecipeRecorder();
    recorder.add(report("/login", [], "label=Accept cookies"));
    expect(recorder.build(`${origin}/account`)).toBeNull();
  });
});
