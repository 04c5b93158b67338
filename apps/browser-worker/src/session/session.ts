// One recipient's login session. Longer than our ~450-line habit on purpose: it is one
// state machine (start, stream client, input, tabs, outcome, end) whose timers and
// private state every part touches; the pieces that stand alone live beside it
// (context.ts, popup-guard.ts, ../capture/watch.ts, ../input, ../stream). Invariants:
// - its BrowserContext is closed when the session ends, whatever ended it (completion,
//   client leave after the reconnect grace, idle timeout, hard max, DELETE, shutdown,
//   browser crash); `end()` is the single exit and is idempotent;
// - captured plaintext lives only in `#credentials` and is cleared in `end()`; only the
//   sealed JWE is kept afterwards.
import { randomUUID } from "node:crypto";
import { accountTagOf } from "@meterlink/shared/account-tag";
import type { TSessionEnding, TSessionView, TStartSession } from "@meterlink/shared/fleet";
import {
  STREAM_CLOSE,
  type TClientMessage,
  type TFrameHeader,
  type TLoginOutcome,
  type TServerMessage,
  type TSessionEndReason,
  type TViewport,
  ZClientMessage,
} from "@meterlink/shared/stream";
import type { CryptoKey } from "jose";
import type { Logger } from "pino";
import type { Dialog, Page } from "puppeteer-core";
import type WebSocket from "ws";
import { CapturedCredentials, ZCaptureReport } from "../capture/credentials";
import { CAPTURE_SCRIPT, rulesScript } from "../capture/script";
import { sealCredential } from "../capture/seal";
import { watchForVerdict } from "../capture/watch";
import { readFirstBills } from "../collect/first-bills";
import type { TReport } from "../fleet/link";
import { InputDispatcher, type TInputMessage } from "../input/dispatch";
import type { TWorkerMetrics } from "../metrics/metrics";
import { RecipeRecorder } from "../recipe/record";
import { BeginFrameStream } from "../stream/begin-frames";
import { pacerOf } from "../stream/pacer";
import { renderViewport, Screencast } from "../stream/screencast";
import { ViewerSocket } from "../stream/viewer-socket";
import { instrumentPage, isAllowedUrl, type TPreparedContext, type TTab } from "./context";
import { FocusTracker } from "./focus";

export type TSessionTimeouts = {
  idleTimeoutMs: number;
  maxSessionMs: number;
  reconnectGraceMs: number;
  /** An interactive session whose stream is not opened within this ends (never_attached). */
  attachTimeoutMs: number;
};

export type TSessionDeps = {
  logger: Logger;
  metrics: TWorkerMetrics;
  sealKey: CryptoKey;
  timeouts: TSessionTimeouts;
  onEnded: (session: Session) => void;
  report: (report: TReport) => void;
};

/** Tries to start a tab's screencast before telling the log it failed. */
const SCREENCAST_ATTEMPTS = 3;
/** Resizes are applied at most this often (last one wins): a resize re-lays out the page. */
const RESIZE_INTERVAL_MS = 200;

export class Session {
  readonly id: string;
  readonly provider: TStartSession["provider"];
  readonly mode: TStartSession["mode"];
  readonly startedAt = new Date();
  state: "starting" | "running" | "ended" = "starting";
  outcome: TLoginOutcome | null = null;
  sealedCredential: string | null = null;
  finalUrl: string | null = null;
  /** Whether the portal showed the success (false: only the recipient said so). */
  verified = true;
  endReason: TSessionEndReason | null = null;
  endedAt: Date | null = null;
  /** Keyed hash of provider + typed username, with a success (duplicates, #17). */
  accountTag: string | null = null;
  readonly #accountTagKey: string | undefined;

  #viewport: TViewport;
  #deps: TSessionDeps;
  #log: Logger;
  #prepared: TPreparedContext | null = null;
  #tabs: TTab[] = [];
  #client: ViewerSocket | null = null;
  #screencast: Screencast | BeginFrameStream | null = null;
  #credentials = new CapturedCredentials();
  /** The non-secret shape of the sign-in, sent with the success (#19). */
  #recipe = new RecipeRecorder();
  #dispatcher: InputDispatcher;
  #lastSeq: number | null = null;
  #frameId = 0;
  #pendingLatency: { seq: number; at: number }[] = [];
  #idleTimer: NodeJS.Timeout | undefined;
  #maxTimer: NodeJS.Timeout | undefined;
  #graceTimer: NodeJS.Timeout | undefined;
  #attachTimer: NodeJS.Timeout | undefined;
  #pendingResize: TViewport | null = null;
  #resizeTimer: NodeJS.Timeout | undefined;
  #lastResizeAt = 0;
  #titlePoll: NodeJS.Timeout | undefined;
  #pageInfo = { url: "", title: "", loading: false };
  #sentPageInfo = "";
  #dialogs = new Map<string, Dialog>();
  #evaluation = 0;
  /** Login submissions captured so far, and the last one whose refusal was announced. */
  #submissions = 0;
  #failureAnnouncedFor = -1;
  #ready: Promise<void>;
  #markReady: () => void = () => undefined;
  #ended: Promise<void> | null = null;
  #focus = new FocusTracker({
    cdp: () => this.#activeTab()?.cdp ?? null,
    publish: (box) => this.#client?.sendJson({ type: "focus", box }),
  });

  constructor(input: TStartSession, deps: TSessionDeps) {
    this.id = input.sessionId;
    this.provider = input.provider;
    this.mode = input.mode;
    this.#accountTagKey = input.accountTagKey;
    this.#viewport = renderViewport(input.viewport);
    this.#deps = deps;
    this.#log = deps.logger.child({ sessionId: this.id, providerId: input.provider.id });
    this.#ready = new Promise((resolve) => {
      this.#markReady = resolve;
    });
    this.#dispatcher = new InputDispatcher({
      getClient: () => this.#activeTab()?.cdp ?? null,
      onDispatched: (message) => {
        this.#lastSeq = message.seq;
        this.#screencast?.inputDispatched();
        if (message.type !== "mouse" || message.action !== "move") this.#focus.poke();
      },
      onError: (message, error) => {
        this.#log.debug({ err: error, type: message.type }, "input dispatch failed");
        this.#client?.sendJson({
          type: "error",
          code: "INPUT_FAILED",
          message: "That input could not be delivered to the page.",
          seq: message.seq,
        });
      },
    });
    this.#maxTimer = setTimeout(() => void this.end("max_duration"), deps.timeouts.maxSessionMs);
    if (this.mode === "interactive") {
      this.#attachTimer = setTimeout(
        () => void this.end("never_attached"),
        deps.timeouts.attachTimeoutMs,
      );
    }
    this.#resetIdle();
  }

  /** Claims a prepared context and opens the provider's login page. */
  async start(prepared: TPreparedContext): Promise<void> {
    if (this.state === "ended") {
      await closePrepared(prepared);
      return;
    }
    this.#prepared = prepared;
    const { hooks, tab, context } = prepared;
    hooks.isAllowed = (url) => isAllowedUrl(url, this.provider.allowedHostnames);
    hooks.onBlocked = (url) => {
      let host = "";
      try {
        host = new URL(url).hostname;
      } catch {}
      this.#log.info({ host }, "navigation blocked");
      this.#client?.sendJson({
        type: "error",
        code: "NAVIGATION_BLOCKED",
        message: `This window only opens ${this.provider.allowedHostnames.join(", ")}.`,
      });
    };
    hooks.onCapture = (_page, raw) => this.#onCapture(raw);
    context.on("targetcreated", (target) => {
      if (target.type() !== "page") return;
      void target.page().then((page) => page && this.#adoptPopup(page));
    });
    const rules = this.provider.rules;
    if (rules?.usernameSelector || rules?.passwordSelector || rules?.codeSelector) {
      await tab.page.evaluateOnNewDocument(
        rulesScript({
          identifier: rules.usernameSelector,
          password: rules.passwordSelector,
          code: rules.codeSelector,
        }),
      );
    }
    await tab.page.setViewport(this.#viewport);
    this.#watchTab(tab);
    this.#tabs.push(tab);
    this.state = "running";
    this.#markReady();
    // Navigation is not awaited: the client sees the page loading like in any browser.
    tab.cdp.send("Page.navigate", { url: this.provider.loginUrl }).catch((error: unknown) => {
      this.#log.warn({ err: error }, "login page navigation failed");
    });
    this.#log.info("session started");
  }

  view(): TSessionView {
    return {
      sessionId: this.id,
      providerId: this.provider.id,
      state: this.state,
      outcome: this.outcome,
      sealedCredential: this.sealedCredential,
      finalUrl: this.finalUrl,
      verified: this.verified,
      accountTag: this.accountTag,
      endReason: this.endReason,
      startedAt: this.startedAt.toISOString(),
      endedAt: this.endedAt?.toISOString() ?? null,
    };
  }

  /** How it ended, once it has. */
  ending(): TSessionEnding | null {
    if (!this.endReason || !this.endedAt) return null;
    return {
      sessionId: this.id,
      reason: this.endReason,
      outcome: this.outcome,
      endedAt: this.endedAt.toISOString(),
    };
  }

  get contextForInspection() {
    return this.#prepared?.context ?? null;
  }

  get activePage(): Page | null {
    return this.#activeTab()?.page ?? null;
  }

  // ------------------------------------------------------------------ stream client

  async attachClient(ws: WebSocket): Promise<void> {
    if (this.state === "ended") {
      ws.send(JSON.stringify({ type: "ended", reason: this.endReason ?? "error" }));
      ws.close(STREAM_CLOSE.ENDED, "ended");
      return;
    }
    const previous = this.#client;
    if (previous) {
      previous.sendJson({
        type: "error",
        code: "REPLACED",
        message: "This session was opened in another window.",
      });
      previous.close(STREAM_CLOSE.REPLACED, "replaced");
    }
    const client = new ViewerSocket(ws);
    this.#client = client;
    clearTimeout(this.#graceTimer);
    clearTimeout(this.#attachTimer);
    this.#resetIdle();
    ws.on("message", (data, isBinary) => {
      if (this.#client !== client) return;
      this.#onClientMessage(isBinary ? null : data.toString());
    });
    ws.on("close", () => void this.#onClientClosed(client));
    await this.#ready;
    if (this.#client !== client || this.state !== "running") return;
    client.sendJson({ type: "ready", sessionId: this.id, viewport: this.#viewport });
    this.#sentPageInfo = "";
    this.#publishPageInfo();
    if (this.outcome) client.sendJson({ type: "outcome", outcome: this.outcome });
    for (const [dialogId, dialog] of this.#dialogs)
      client.sendJson(dialogMessage(dialogId, dialog));
    this.#focus.resend();
    await this.#startScreencast(client);
    clearInterval(this.#titlePoll);
    // Portals retitle themselves without navigating (SPAs); cheap to poll while watched.
    this.#titlePoll = setInterval(() => void this.#refreshPageInfo(), 1_000);
  }

  async #startScreencast(client: ViewerSocket): Promise<void> {
    const tab = this.#activeTab();
    if (!tab) return;
    await this.#screencast?.detach();
    const options = {
      client,
      viewport: this.#viewport,
      nextFrameId: () => ++this.#frameId,
      lastSeq: () => this.#lastSeq,
      onSent: (header: TFrameHeader, how: { repeated: boolean }) => this.#onFrameSent(header, how),
      pacer: pacerOf(this.#deps.metrics),
    };
    // A tab on begin frames gets its pictures from its driver, any other from a screencast.
    const screencast = tab.frames
      ? new BeginFrameStream({ ...options, driver: tab.frames })
      : new Screencast(options);
    this.#screencast = screencast;
    // Attaching can fail while the tab is mid-navigation; a stream without pictures is
    // useless to the recipient, so try again briefly before giving up loudly.
    for (let attempt = 1; attempt <= SCREENCAST_ATTEMPTS; attempt++) {
      try {
        await screencast.attach(tab.cdp);
        return;
      } catch (error) {
        if (this.#screencast !== screencast || this.state === "ended") return;
        if (attempt === SCREENCAST_ATTEMPTS) {
          this.#log.warn({ err: error }, "screencast could not start");
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 150 * attempt));
      }
    }
  }

  async #onClientClosed(client: ViewerSocket): Promise<void> {
    if (this.#client !== client) return;
    this.#client = null;
    clearInterval(this.#titlePoll);
    const screencast = this.#screencast;
    this.#screencast = null;
    await screencast?.detach();
    if (this.state === "ended" || this.mode === "headless") return;
    this.#graceTimer = setTimeout(
      () => void this.end("client_left"),
      this.#deps.timeouts.reconnectGraceMs,
    );
  }

  #onFrameSent(header: TFrameHeader, how: { repeated: boolean }): void {
    this.#deps.metrics.framesSent.inc();
    if (header.lastInputSeq === null || this.#pendingLatency.length === 0) return;
    const now = performance.now();
    const seq = header.lastInputSeq;
    this.#pendingLatency = this.#pendingLatency.filter((entry) => {
      if (entry.seq > seq) return true;
      // A repeated picture: those inputs painted nothing, there is no latency to count.
      if (how.repeated) return false;
      this.#deps.metrics.inputToFrameSeconds.observe((now - entry.at) / 1000);
      pacerOf(this.#deps.metrics).observe(now - entry.at);
      return false;
    });
  }

  #onClientMessage(raw: string | null): void {
    let json: unknown = null;
    try {
      json = raw === null ? null : JSON.parse(raw);
    } catch {}
    const parsed = ZClientMessage.safeParse(json);
    if (!parsed.success) {
      this.#client?.sendJson({
        type: "error",
        code: "INVALID_MESSAGE",
        message: "Message not understood; it was ignored.",
      });
      return;
    }
    if (parsed.data.type === "frameAck") {
      this.#screencast?.clientAcked(parsed.data.frameId);
      return;
    }
    this.#resetIdle();
    void this.#handle(parsed.data).catch((error: unknown) => {
      this.#log.debug({ err: error, type: parsed.data.type }, "client message failed");
    });
  }

  async #handle(message: TClientMessage): Promise<void> {
    if (this.state !== "running") return;
    switch (message.type) {
      case "resize": {
        this.#lastSeq = message.seq;
        this.#queueResize(renderViewport(message.viewport));
        return;
      }
      case "navigate": {
        const tab = this.#activeTab();
        if (!tab) return;
        this.#lastSeq = message.seq;
        if (message.action === "reload") {
          await tab.cdp.send("Page.reload");
          return;
        }
        const history = await tab.cdp.send("Page.getNavigationHistory");
        const entry = history.entries[history.currentIndex + (message.action === "back" ? -1 : 1)];
        if (entry) await tab.cdp.send("Page.navigateToHistoryEntry", { entryId: entry.id });
        return;
      }
      case "dialogAnswer": {
        const dialog = this.#dialogs.get(message.dialogId);
        this.#lastSeq = message.seq;
        if (!dialog) return;
        this.#dialogs.delete(message.dialogId);
        if (message.accept) await dialog.accept(message.promptText);
        else await dialog.dismiss();
        this.#client?.sendJson({ type: "dialogClosed", dialogId: message.dialogId });
        return;
      }
      case "frameAck":
        return;
      case "signedInAnswer": {
        this.#lastSeq = message.seq;
        if (this.outcome !== "unsure") return;
        if (message.signedIn && this.#credentials.hasPassword) {
          // Taken on the recipient's word: kept, but recorded as not verified by the portal.
          await this.#succeed(this.activePage?.url() ?? this.provider.loginUrl, false);
        } else {
          this.outcome = null;
        }
        return;
      }
      default:
        this.#pendingLatency.push({ seq: message.seq, at: performance.now() });
        if (this.#pendingLatency.length > 200) this.#pendingLatency.shift();
        this.#dispatcher.push(message satisfies TInputMessage);
    }
  }

  /** Applies the newest resize now, or once RESIZE_INTERVAL_MS has passed since the last. */
  #queueResize(viewport: TViewport): void {
    this.#pendingResize = viewport;
    if (this.#resizeTimer) return;
    const wait = Math.max(0, this.#lastResizeAt + RESIZE_INTERVAL_MS - Date.now());
    this.#resizeTimer = setTimeout(() => {
      this.#resizeTimer = undefined;
      const next = this.#pendingResize;
      this.#pendingResize = null;
      if (!next || this.state !== "running") return;
      this.#lastResizeAt = Date.now();
      this.#viewport = next;
      void (async () => {
        await this.activePage?.setViewport(next);
        await this.#screencast?.setViewport(next);
        this.#focus.poke(true);
      })().catch((error: unknown) => this.#log.debug({ err: error }, "resize failed"));
    }, wait);
  }

  // ------------------------------------------------------------------ pages and popups

  #activeTab(): TTab | undefined {
    return this.#tabs.at(-1);
  }

  #watchTab(tab: TTab): void {
    const { page, cdp } = tab;
    page.on("dialog", (dialog) => {
      const dialogId = randomUUID();
      this.#dialogs.set(dialogId, dialog);
      this.#client?.sendJson(dialogMessage(dialogId, dialog));
    });
    page.on("close", () => void this.#onTabClosed(tab));
    page.on("error", () => {
      this.#log.warn("page crashed");
      if (this.#tabs[0] === tab) void this.end("error");
    });
    cdp.on("Page.frameStartedLoading", (event) => {
      if (event.frameId !== tab.mainFrameId || this.#activeTab() !== tab) return;
      this.#pageInfo.loading = true;
      this.#publishPageInfo();
    });
    cdp.on("Page.frameStoppedLoading", (event) => {
      if (event.frameId !== tab.mainFrameId || this.#activeTab() !== tab) return;
      this.#pageInfo.loading = false;
      void this.#refreshPageInfo();
      this.#focus.poke();
      // A slow portal may only redirect after our evaluation window: look again.
      if (this.#credentials.hasPassword && this.outcome !== "success") {
        this.#scheduleEvaluation();
      }
    });
    cdp.on("Page.frameNavigated", (event) => {
      if (event.frame.parentId || this.#activeTab() !== tab) return;
      this.#pageInfo.url = event.frame.url;
      this.#publishPageInfo();
    });
  }

  async #adoptPopup(page: Page): Promise<void> {
    const prepared = this.#prepared;
    if (!prepared || this.state !== "running") return;
    // The popup guard keeps sessions in one tab; one that still opened elsewhere is shut.
    if (!prepared.hooks.isAllowed(page.url())) {
      prepared.hooks.onBlocked(page.url());
      await page.close().catch(() => undefined);
      return;
    }
    try {
      const tab = await instrumentPage(page, prepared.hooks);
      // The popup loaded before we could hook it: install capture in the current document.
      // The capture script guards against double installation, so running it again is safe.
      await page.evaluate(CAPTURE_SCRIPT).catch(() => undefined);
      await page.setViewport(this.#viewport);
      this.#watchTab(tab);
      this.#tabs.push(tab);
      this.#log.info("following popup");
      await this.#refreshPageInfo();
      if (this.#client) await this.#startScreencast(this.#client);
    } catch (error) {
      this.#log.debug({ err: error }, "popup adoption failed");
    }
  }

  async #onTabClosed(tab: TTab): Promise<void> {
    const wasActive = this.#activeTab() === tab;
    this.#tabs = this.#tabs.filter((t) => t !== tab);
    if (this.state !== "running") return;
    if (this.#tabs.length === 0) {
      await this.end("error");
      return;
    }
    if (wasActive) {
      await this.#refreshPageInfo();
      if (this.#client) await this.#startScreencast(this.#client);
    }
  }

  async #refreshPageInfo(): Promise<void> {
    const page = this.activePage;
    if (!page || this.state !== "running") return;
    try {
      this.#pageInfo.url = page.url();
      this.#pageInfo.title = await page.title();
    } catch {
      return;
    }
    this.#publishPageInfo();
  }

  #publishPageInfo(): void {
    const serialized = JSON.stringify(this.#pageInfo);
    if (serialized === this.#sentPageInfo || !this.#client) return;
    this.#sentPageInfo = serialized;
    this.#client.sendJson({ type: "page", ...this.#pageInfo });
  }

  // ------------------------------------------------------------------ capture and outcome

  #onCapture(raw: string): void {
    if (this.state !== "running" || this.outcome === "success") return;
    let json: unknown = null;
    try {
      json = JSON.parse(raw);
    } catch {}
    const report = ZCaptureReport.safeParse(json);
    if (!report.success) return;
    this.#credentials.update(report.data);
    this.#recipe.add(report.data);
    // A button pressed on a page without login fields only shapes the recipe: it is no
    // submission (a "show password" toggle must not announce a refusal again).
    const { identifier, password, code } = report.data.fields;
    if (!identifier && !password && !code) return;
    this.#submissions++;
    // Which kinds were present, never the values.
    this.#log.info(
      {
        trigger: report.data.trigger,
        identifier: Boolean(report.data.fields.identifier),
        password: Boolean(report.data.fields.password),
        code: Boolean(report.data.fields.code),
      },
      "login submission captured",
    );
    this.#scheduleEvaluation();
  }

  #scheduleEvaluation(): void {
    const token = ++this.#evaluation;
    const target = {
      current: () => token === this.#evaluation && this.state === "running",
      page: () => this.activePage,
      loading: () => this.#pageInfo.loading,
      passwordCaptured: () => this.#credentials.hasPassword,
      rules: this.provider.rules,
      loginUrl: this.provider.loginUrl,
    };
    void watchForVerdict(target, {
      success: (url) => this.#succeed(url, true),
      mfa: () => this.#setOutcome("mfa", false),
      // Each submission's refusal is announced once, whichever watch (the submission's,
      // or the one after the page it led to loaded) sees it.
      failure: (locked) => {
        const unannounced = this.#failureAnnouncedFor !== this.#submissions;
        this.#failureAnnouncedFor = this.#submissions;
        this.#setOutcome("failure", unannounced, locked);
      },
      unsure: () => this.#setOutcome("unsure", false),
    }).catch((error: unknown) => {
      this.#log.debug({ err: error }, "outcome evaluation failed");
    });
  }

  #setOutcome(outcome: TLoginOutcome, repeat: boolean, locked = false): void {
    if (this.outcome === outcome && !repeat) return;
    this.outcome = outcome;
    this.#deps.metrics.outcomes.inc({ outcome });
    this.#log.info({ outcome }, "login outcome");
    if (outcome !== "success") {
      // A success is reported with its sealed credential, by #succeed.
      this.#deps.report({
        type: "outcome",
        sessionId: this.id,
        providerId: this.provider.id,
        outcome,
        sealedCredential: null,
        finalUrl: null,
      });
    }
    const message =
      outcome === "failure"
        ? "The utility did not accept these details. Check them and try again."
        : outcome === "mfa"
          ? "The utility asks for a code. Enter it to continue."
          : outcome === "unsure"
            ? "Are you signed in to your account now?"
            : undefined;
    this.#client?.sendJson({
      type: "outcome",
      outcome,
      ...(message ? { message } : {}),
      ...(locked ? { detail: "locked" as const } : {}),
    });
  }

  async #succeed(finalUrl: string, verified: boolean): Promise<void> {
    if (this.outcome === "success" || this.state !== "running") return;
    this.#evaluation++;
    const secret = this.#credentials.reveal();
    this.sealedCredential = await sealCredential(this.#deps.sealKey, {
      ...secret,
      providerId: this.provider.id,
      finalUrl,
      verified,
    });
    // Only this process saw the username: it reports the tag, not the name.
    this.accountTag =
      this.#accountTagKey && secret.username
        ? accountTagOf(this.#accountTagKey, this.provider.id, secret.username)
        : null;
    this.finalUrl = finalUrl;
    this.verified = verified;
    this.#setOutcome("success", false);
    // Queued before the ending it leads to: the API hears the outcome first.
    this.#deps.report({
      type: "outcome",
      sessionId: this.id,
      providerId: this.provider.id,
      outcome: "success",
      sealedCredential: this.sealedCredential,
      finalUrl,
      verified,
      accountTag: this.accountTag,
      recipe: verified ? this.#recipe.build(finalUrl) : null,
    });
    // First bills ride this signed-in session (#18): read before the context closes.
    await readFirstBills(this, this.#deps.report, this.#log);
    await this.end("completed");
  }

  // ------------------------------------------------------------------ ending

  #resetIdle(): void {
    clearTimeout(this.#idleTimer);
    if (this.state === "ended") return;
    this.#idleTimer = setTimeout(
      () => void this.end("idle_timeout"),
      this.#deps.timeouts.idleTimeoutMs,
    );
  }

  /** Ends the session and closes its context. Safe to call any number of times. */
  end(reason: TSessionEndReason): Promise<void> {
    this.#ended ??= this.#end(reason);
    return this.#ended;
  }

  async #end(reason: TSessionEndReason): Promise<void> {
    this.state = "ended";
    this.endReason = reason;
    this.endedAt = new Date();
    this.#evaluation++;
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#maxTimer);
    clearTimeout(this.#graceTimer);
    clearTimeout(this.#attachTimer);
    clearTimeout(this.#resizeTimer);
    clearInterval(this.#titlePoll);
    this.#focus.stop();
    this.#dispatcher.clear();
    this.#credentials.clear();
    this.#dialogs.clear();
    this.#markReady();
    const client = this.#client;
    this.#client = null;
    try {
      await this.#screencast?.detach();
    } catch {}
    this.#screencast = null;
    const prepared = this.#prepared;
    this.#prepared = null;
    this.#tabs = [];
    if (prepared) await closePrepared(prepared, this.#log);
    // Told only once the context is gone: "ended" means nothing of the session remains.
    client?.sendJson({ type: "ended", reason });
    client?.close(STREAM_CLOSE.ENDED, reason);
    this.#deps.metrics.sessionsEnded.inc({ reason });
    this.#log.info({ reason, outcome: this.outcome }, "session ended");
    this.#deps.onEnded(this);
  }
}

async function closePrepared(prepared: TPreparedContext, log?: Logger): Promise<void> {
  try {
    await prepared.context.close();
  } catch (error) {
    log?.warn({ err: error }, "closing the browser context failed");
  }
  await prepared.egress?.close().catch(() => undefined);
}

function dialogMessage(dialogId: string, dialog: Dialog): TServerMessage {
  const type = dialog.type();
  return {
    type: "dialog",
    dialogId,
    dialogType: type === "confirm" || type === "prompt" || type === "beforeunload" ? type : "alert",
    message: dialog.message(),
    ...(type === "prompt" ? { defaultValue: dialog.defaultValue() } : {}),
  };
}
