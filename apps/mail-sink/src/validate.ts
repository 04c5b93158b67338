// Validates a send request the way Resend does before accepting it: required fields,
// address syntax, recipient limits. Messages name the offending field like Resend's do.

import { ADDRESS_FORMAT_HINT, resendError, type TResendError } from "./resend-errors";

export type TEmailTag = { name: string; value: string };

/** A send request after validation, with every address list normalised to an array. */
export type TValidEmail = {
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  html: string | null;
  text: string | null;
  headers: Record<string, string>;
  tags: TEmailTag[];
  scheduledAt: string | null;
};

export type TValidation = { ok: true; email: TValidEmail } | { ok: false; error: TResendError };

const MAX_RECIPIENTS = 50;
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const NAMED = /^\s*(?:"[^"]*"|[^"<>]*)\s*<([^<>\s]+)>\s*$/;
const TAG_PART = /^[A-Za-z0-9_-]{1,256}$/;

/** The bare address inside `email@x.y` or `Name <email@x.y>`, lower-cased; null if malformed. */
export function addressOf(value: string): string | null {
  const named = NAMED.exec(value);
  const bare = named ? named[1] : value.trim();
  if (bare === undefined || !EMAIL.test(bare)) return null;
  return bare.toLowerCase();
}

function invalid(field: string, detail: string): TValidation {
  return {
    ok: false,
    error: resendError(422, "validation_error", `Invalid \`${field}\` field. ${detail}`),
  };
}

function missing(field: string): TValidation {
  return {
    ok: false,
    error: resendError(422, "missing_required_field", `Missing \`${field}\` field.`),
  };
}

type TAddressList = { ok: true; list: string[] } | { ok: false; result: TValidation };

function addressList(field: string, value: unknown, required: boolean): TAddressList {
  if (value === undefined || value === null) {
    return required ? { ok: false, result: missing(field) } : { ok: true, list: [] };
  }
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || list.some((item) => typeof item !== "string")) {
    return { ok: false, result: invalid(field, "It must be a string or an array of strings.") };
  }
  if (required && list.length === 0) return { ok: false, result: missing(field) };
  if (list.length > MAX_RECIPIENTS) {
    return {
      ok: false,
      result: invalid(field, `It can contain at most ${MAX_RECIPIENTS} addresses.`),
    };
  }
  for (const item of list as string[]) {
    if (addressOf(item) === null) return { ok: false, result: invalid(field, ADDRESS_FORMAT_HINT) };
  }
  return { ok: true, list: list as string[] };
}

function optionalString(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return null;
  return typeof value === "string" ? value : undefined;
}

export function validateEmail(body: unknown): TValidation {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return {
      ok: false,
      error: resendError(422, "validation_error", "The request body must be a JSON object."),
    };
  }
  const input = body as Record<string, unknown>;

  if (input.from === undefined || input.from === null) return missing("from");
  if (typeof input.from !== "string" || addressOf(input.from) === null) {
    return invalid("from", ADDRESS_FORMAT_HINT);
  }
  const to = addressList("to", input.to, true);
  if (!to.ok) return to.result;
  const cc = addressList("cc", input.cc, false);
  if (!cc.ok) return cc.result;
  const bcc = addressList("bcc", input.bcc, false);
  if (!bcc.ok) return bcc.result;
  const replyTo = addressList("reply_to", input.reply_to, false);
  if (!replyTo.ok) return replyTo.result;

  if (input.subject === undefined || input.subject === null) return missing("subject");
  if (typeof input.subject !== "string") return invalid("subject", "It must be a string.");

  const html = optionalString(input.html);
  if (html === undefined) return invalid("html", "It must be a string.");
  const text = optionalString(input.text);
  if (text === undefined) return invalid("text", "It must be a string.");
  if (html === null && text === null) {
    return {
      ok: false,
      error: resendError(422, "missing_required_field", "Missing `html` or `text` field."),
    };
  }

  const headers: Record<string, string> = {};
  if (input.headers !== undefined && input.headers !== null) {
    if (typeof input.headers !== "object" || Array.isArray(input.headers)) {
      return invalid("headers", "It must be an object of string values.");
    }
    for (const [name, value] of Object.entries(input.headers)) {
      if (typeof value !== "string")
        return invalid("headers", "It must be an object of string values.");
      headers[name] = value;
    }
  }

  const tags: TEmailTag[] = [];
  if (input.tags !== undefined && input.tags !== null) {
    if (!Array.isArray(input.tags))
      return invalid("tags", "It must be an array of { name, value }.");
    for (const tag of input.tags) {
      const { name, value } = (tag ?? {}) as Record<string, unknown>;
      if (typeof name !== "string" || typeof value !== "string") {
        return invalid("tags", "It must be an array of { name, value }.");
      }
      if (!TAG_PART.test(name) || !TAG_PART.test(value)) {
        return invalid(
          "tags",
          "Tags should only contain ASCII letters, numbers, underscores, or dashes.",
        );
      }
      tags.push({ name, value });
    }
  }

  const scheduledAt = optionalString(input.scheduled_at);
  if (scheduledAt === undefined) return invalid("scheduled_at", "It must be a string.");

  return {
    ok: true,
    email: {
      from: input.from,
      to: to.list,
      cc: cc.list,
      bcc: bcc.list,
      replyTo: replyTo.list,
      subject: input.subject,
      html,
      text,
      headers,
      tags,
      scheduledAt,
    },
  };
}
