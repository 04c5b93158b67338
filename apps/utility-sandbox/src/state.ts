import { randomBytes, randomInt } from "node:crypto";
import { findAccount, PORTAL_IDS, SANDBOX_ACCOUNTS, type TPortalId } from "./accounts";

// All mutable sandbox state lives in one in-memory object per server: login attempts (the
// ground truth tests compare against), failure counters and locks, sessions, one-time
// codes and the "phone/mailbox" outbox. Time comes only from the injected clock, so tests
// can move past a lock without waiting.

export const MAX_FAILURES = 5;
export const LOCK_MS = 10 * 60_000;
export const CODE_TTL_MS = 10 * 60_000;

export type TAttemptStep = "identifier" | "password" | "code";
export type TAttemptResult =
  | "continue"
  | "success"
  | "mfa-required"
  | "wrong-password"
  | "wrong-code"
  | "locked"
  | "missing-fields";

export type TLoginAttempt = {
  seq: number;
  portal: TPortalId;
  step: TAttemptStep;
  /** Exactly as typed, untrimmed. */
  username: string;
  password: string | null;
  code: string | null;
  result: TAttemptResult;
  at: string;
};

export type TSession = {
  portal: TPortalId;
  /** "identified": identifier-first step done; "mfa": password ok, code pending. */
  stage: "identified" | "mfa" | "authenticated";
  /** As typed for "identified"; the canonical seeded username afterwards. */
  username: string;
};

export type TSentCode = {
  portal: TPortalId;
  username: string;
  code: string;
  channel: "sms" | "email";
  to: string;
  text: string;
  sentAt: string;
  expiresAt: string;
};

type TCodeEntry = TSentCode & { expiresAtMs: number; used: boolean };

export class SandboxState {
  readonly now: () => number;
  private attempts: TLoginAttempt[] = [];
  private seq = 0;
  private failures = new Map<string, number>();
  private locks = new Map<string, number>();
  private sessions = new Map<string, TSession>();
  private codes = new Map<string, TCodeEntry>();
  private outbox: TSentCode[] = [];

  constructor(now: () => number = Date.now) {
    this.now = now;
    this.reset();
  }

  /** Back to the seeded state: no attempts, sessions or codes; seeded locks restored. */
  reset(portal?: TPortalId): void {
    const inScope = (p: TPortalId) => portal === undefined || p === portal;
    this.attempts = this.attempts.filter((a) => !inScope(a.portal));
    for (const map of [this.failures, this.locks, this.codes]) {
      for (const key of map.keys()) if (inScope(keyPortal(key))) map.delete(key);
    }
    for (const [sid, session] of this.sessions)
      if (inScope(session.portal)) this.sessions.delete(sid);
    this.outbox = this.outbox.filter((m) => !inScope(m.portal));
    for (const id of PORTAL_IDS) {
      if (!inScope(id)) continue;
      for (const account of SANDBOX_ACCOUNTS[id]) {
        // A seeded lock never expires on its own: the account stays locked until reset.
        if (account.lockedAtStart)
          this.locks.set(key(id, account.username), Number.POSITIVE_INFINITY);
      }
    }
  }

  recordAttempt(attempt: Omit<TLoginAttempt, "seq" | "at">): TLoginAttempt {
    this.seq += 1;
    const full = { ...attempt, seq: this.seq, at: new Date(this.now()).toISOString() };
    this.attempts.push(full);
    return full;
  }

  listAttempts(portal?: TPortalId): TLoginAttempt[] {
    return this.attempts.filter((a) => portal === undefined || a.portal === portal);
  }

  isLocked(portal: TPortalId, username: string): boolean {
    const k = key(portal, username);
    const until = this.locks.get(k);
    if (until === undefined) return false;
    if (this.now() < until) return true;
    this.locks.delete(k);
    this.failures.delete(k);
    return false;
  }

  /** Counts a failure; returns true when this failure locked the account. */
  recordFailure(portal: TPortalId, username: string): boolean {
    const k = key(portal, username);
    const count = (this.failures.get(k) ?? 0) + 1;
    if (count >= MAX_FAILURES) {
      this.failures.delete(k);
      this.locks.set(k, this.now() + LOCK_MS);
      return true;
    }
    this.failures.set(k, count);
    return false;
  }

  clearFailures(portal: TPortalId, username: string): void {
    this.failures.delete(key(portal, username));
  }

  listLocks(): { portal: TPortalId; username: string; until: string | null }[] {
    const now = this.now();
    return [...this.locks]
      .filter(([, until]) => until > now)
      .map(([k, until]) => ({
        portal: keyPortal(k),
        username: k.slice(k.indexOf(":") + 1),
        until: Number.isFinite(until) ? new Date(until).toISOString() : null,
      }));
  }

  /** Password check only; lock handling is the caller's, so it can record what happened. */
  checkPassword(portal: TPortalId, username: string, password: string): string | undefined {
    const account = findAccount(portal, username);
    return account && account.password === password ? account.username : undefined;
  }

  createSession(session: TSession): string {
    const sid = randomBytes(24).toString("base64url");
    this.sessions.set(sid, session);
    return sid;
  }

  getSession(portal: TPortalId, sid: string | undefined): TSession | undefined {
    if (!sid) return undefined;
    const session = this.sessions.get(sid);
    return session?.portal === portal ? session : undefined;
  }

  updateSession(sid: string, session: TSession): void {
    this.sessions.set(sid, session);
  }

  endSession(sid: string | undefined): void {
    if (sid) this.sessions.delete(sid);
  }

  issueCode(
    portal: TPortalId,
    username: string,
    delivery: { channel: "sms" | "email"; to: string; text: (code: string) => string },
  ): TSentCode {
    const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
    const sentAtMs = this.now();
    const entry: TCodeEntry = {
      portal,
      username,
      code,
      channel: delivery.channel,
      to: delivery.to,
      text: delivery.text(code),
      sentAt: new Date(sentAtMs).toISOString(),
      expiresAt: new Date(sentAtMs + CODE_TTL_MS).toISOString(),
      expiresAtMs: sentAtMs + CODE_TTL_MS,
      used: false,
    };
    this.codes.set(key(portal, username), entry);
    const { expiresAtMs: _expires, used: _used, ...message } = entry;
    this.outbox.push(message);
    return message;
  }

  /** Only the latest code is valid, once, before it expires. */
  consumeCode(portal: TPortalId, username: string, typed: string): boolean {
    const entry = this.codes.get(key(portal, username));
    if (!entry || entry.used || this.now() >= entry.expiresAtMs) return false;
    if (entry.code !== typed.replace(/\s+/g, "")) return false;
    entry.used = true;
    return true;
  }

  lastCode(portal: TPortalId, username: string): TSentCode | undefined {
    const entry = this.codes.get(key(portal, username));
    if (!entry) return undefined;
    const { expiresAtMs: _expires, used: _used, ...message } = entry;
    return message;
  }

  listOutbox(portal?: TPortalId): TSentCode[] {
    return this.outbox.filter((m) => portal === undefined || m.portal === portal);
  }
}

function key(portal: TPortalId, username: string): string {
  return `${portal}:${username.trim().toLowerCase()}`;
}

function keyPortal(k: string): TPortalId {
  return k.slice(0, k.indexOf(":")) as TPortalId;
}
