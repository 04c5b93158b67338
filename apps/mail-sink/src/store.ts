// In-memory state of the sink: the last N messages, the idempotency keys seen in the last
// 24 hours (as Resend keeps them), and the armed faults. Everything is bounded so a
// long-running dev sink never grows without limit.

import { randomUUID } from "node:crypto";
import { addressOf, type TEmailTag, type TValidEmail } from "./validate";

export type TSinkMessage = {
  id: string;
  /** ISO 8601. */
  createdAt: string;
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
  idempotencyKey: string | null;
};

export class MessageStore {
  // Oldest first; newest-first views reverse it.
  private readonly messages: TSinkMessage[] = [];

  constructor(private readonly capacity: number) {}

  add(email: TValidEmail, idempotencyKey: string | null, now: Date): TSinkMessage {
    const message: TSinkMessage = {
      id: randomUUID(),
      createdAt: now.toISOString(),
      ...email,
      idempotencyKey,
    };
    this.messages.push(message);
    if (this.messages.length > this.capacity)
      this.messages.splice(0, this.messages.length - this.capacity);
    return message;
  }

  get(id: string): TSinkMessage | undefined {
    return this.messages.find((message) => message.id === id);
  }

  /** Newest first; `to` matches any recipient (to, cc or bcc), ignoring case and display name. */
  list(filter: { to?: string } = {}): TSinkMessage[] {
    const wanted =
      filter.to === undefined ? null : (addressOf(filter.to) ?? filter.to.toLowerCase());
    const result: TSinkMessage[] = [];
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const message = this.messages[i];
      if (message === undefined) continue;
      if (wanted !== null) {
        const recipients = [...message.to, ...message.cc, ...message.bcc].map(addressOf);
        if (!recipients.includes(wanted)) continue;
      }
      result.push(message);
    }
    return result;
  }

  clear(): void {
    this.messages.length = 0;
  }
}

type TIdempotentEntry = { fingerprint: string; body: unknown; expiresAt: number };

const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Remembers the response to each successful request that carried an `Idempotency-Key`.
 * Only successes are remembered, so a request refused by a fault or a validation error can
 * be retried with the same key.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, TIdempotentEntry>();

  constructor(private readonly capacity: number) {}

  lookup(key: string, now: number): TIdempotentEntry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  remember(key: string, fingerprint: string, body: unknown, now: number): void {
    this.entries.set(key, { fingerprint, body, expiresAt: now + IDEMPOTENCY_TTL_MS });
    // A Map iterates in insertion order: the first key is the oldest.
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}

/** JSON with object keys sorted, so the same payload always has the same fingerprint. */
export function fingerprint(route: string, body: unknown): string {
  return `${route} ${JSON.stringify(body, (_key, value: unknown) => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
        a < b ? -1 : a > b ? 1 : 0,
      ),
    );
  })}`;
}

export type TFaultStatus = 429 | 500 | 503;
export type TFault = { status: TFaultStatus; remaining: number; retryAfterSeconds: number };

/** The next `count` sends answer `status`; arming again replaces what was left. */
export class Faults {
  private current: TFault | null = null;

  arm(fault: TFault): void {
    this.current = fault.remaining > 0 ? { ...fault } : null;
  }

  /** Consumes one fault if armed. */
  take(): TFault | null {
    const fault = this.current;
    if (fault === null) return null;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.current = null;
    return fault;
  }

  peek(): TFault | null {
    return this.current === null ? null : { ...this.current };
  }

  clear(): void {
    this.current = null;
  }
}
