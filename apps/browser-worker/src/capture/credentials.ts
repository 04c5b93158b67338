// Holds the last values typed into login fields for ONE session, in memory only.
// Invariant: plaintext never leaves this object except into `sealCredential`; it cannot
// be logged or serialized by accident (toJSON/inspect redact), and `clear()` runs when the
// session ends, whatever the ending.
import { inspect } from "node:util";
import { z } from "zod";

/** What the page-side capture script sends through the CDP binding (untrusted input). */
export const ZCaptureReport = z.object({
  trigger: z.string().max(32),
  url: z.string().max(8192),
  fields: z.object({
    identifier: z.string().max(1024),
    password: z.string().max(1024),
    code: z.string().max(64),
  }),
  /** The non-secret shape of the submission, for the learned recipe (../recipe). */
  shape: z
    .object({
      fields: z
        .array(
          z.object({
            kind: z.enum(["identifier", "password", "code"]),
            selectors: z.array(z.string().min(1).max(500)).min(1).max(8),
          }),
        )
        .max(6),
      shadowHosts: z.array(z.string().min(1).max(500)).max(8),
      submit: z.array(z.string().min(1).max(500)).min(1).max(8).nullable(),
    })
    .optional(),
});
export type TCaptureReport = z.infer<typeof ZCaptureReport>;

export class CapturedCredentials {
  #identifier = "";
  #password = "";
  #codes: string[] = [];

  /** Merges a report: a later non-empty value wins; codes accumulate (one per MFA step). */
  update(report: TCaptureReport): void {
    const { identifier, password, code } = report.fields;
    if (identifier) this.#identifier = identifier;
    if (password) this.#password = password;
    if (code && this.#codes.at(-1) !== code) this.#codes.push(code);
  }

  get hasPassword(): boolean {
    return this.#password.length > 0;
  }

  get hasIdentifier(): boolean {
    return this.#identifier.length > 0;
  }

  /** The plaintext, for sealing only. */
  reveal(): { username: string; password: string; codes: string[] } {
    return { username: this.#identifier, password: this.#password, codes: [...this.#codes] };
  }

  clear(): void {
    this.#identifier = "";
    this.#password = "";
    this.#codes = [];
  }

  toJSON(): string {
    return "[redacted]";
  }

  [inspect.custom](): string {
    return "CapturedCredentials [redacted]";
  }
}
