// The live remote browser end to end: a real browser worker joins the stack's fleet, the
// recipient types into the streamed canvas (keyboard through the hidden textarea, mouse
// clicks mapped to remote coordinates), the worker detects the sign-in, and the flow
// completes with the sealed credential the recipient's password never left as text.

import { bill, connection, invitationConnection, loginSession } from "@meterlink/db";
import { freePort } from "@meterlink/db/embedded";
import { desc, eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSessionOf, callerFor, createAdminUser } from "../../api/test/factories";
import { tokenOf } from "../../api/test/invitations";
import type { TWorker } from "../../browser-worker/src/server";
import { axeProblems, launchBrowser, screenshot } from "./browser";
import { remoteOf, startFleetWorker } from "./remote";
import { startStack } from "./stack";

const FLEET_TOKEN = "e2e-fleet-token-0123456789abcdef";

let stack: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;
let worker: TWorker;

beforeAll(async () => {
  // The worker's address is listed up front, as an orchestrator would list it.
  const workerPort = await freePort();
  [stack, browser] = await Promise.all([
    startStack({ env: { FLEET_TOKEN, FLEET_WORKERS: `127.0.0.1:${workerPort}` } }),
    launchBrowser(),
  ]);
  worker = await startFleetWorker({
    internalUrl: stack.internalUrl,
    fleetToken: FLEET_TOKEN,
    port: workerPort,
    workerId: "e2e-worker",
    // The real egress guard: loopback is refused except the sandbox, named explicitly.
    egress: { allowPrivate: [new URL(stack.sandboxUrl).host] },
  });
}, 60_000);
afterAll(async () => {
  await worker?.close();
  await browser?.close();
  await stack?.close();
});

const { clickRemote, drawnBox } = remoteOf(() => worker);

/**
 * An admin's invitation prefilled with `providerId`, opened by a recipient who agrees and
 * continues to the live sign-in: returns once the remote browser shows `loginPath`.
 */
async function openLiveSignIn(
  providerId: string,
  utilityType: string,
  loginPath: string,
  context?: BrowserContext,
) {
  const { page, created } = await openSignInStep(providerId, utilityType, context);
  // The address bar shows the real page.
  await page.getByTestId("remote-url").filter({ hasText: loginPath }).waitFor({ timeout: 20_000 });
  await page.getByText("Starting a secure browser…").waitFor({ state: "detached" });
  const [login] = await stack.db
    .select()
    .from(loginSession)
    .where(eq(loginSession.invitationId, created.id))
    .orderBy(desc(loginSession.startedAt))
    .limit(1);
  if (!login) throw new Error("no login session");
  return { page, created, login };
}

/** A recipient who agrees and continues to the sign-in step of a prefilled invitation. */
async function openSignInStep(providerId: string, utilityType: string, context?: BrowserContext) {
  const user = await createAdminUser(stack.db, stack.company.id);
  const admin = callerFor(stack.db, adminSessionOf(user));
  const created = await admin.admin.invitations.create({
    kind: "contributor",
    delivery: { kind: "manual" },
    prefill: { providerId, utilityTypes: [utilityType] },
  } as Parameters<typeof admin.admin.invitations.create>[0]);
  const page = context
    ? await context.newPage()
    : await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await page.goto(`${stack.url}/p/i/${tokenOf(created.url)}`);
  await page.getByLabel(/I agree/).check();
  await page.getByRole("button", { name: "Get started" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  return { page, created };
}

describe("live sign-in in the streamed browser (real Chromium, real worker)", () => {
  it("signs into the sandbox utility by typing into the canvas, then completes", async () => {
    const { page, created, login } = await openLiveSignIn(
      "sandbox-northwind",
      "electricity",
      "/northwind/login",
    );
    await page.getByRole("heading", { level: 1, name: "Sign in to Northwind Power" }).waitFor();
    await screenshot(page, "recipient-live-1-login");

    await clickRemote(page, login.id, "#username");
    await page.keyboard.type("alice");
    await page.keyboard.press("Tab");
    await page.keyboard.type("correct-horse-1");
    await screenshot(page, "recipient-live-2-typed");
    // Watch for the "ended, start again" screen: it must never show over a success.
    await page.evaluate(() => {
      const seen = { ended: false };
      Object.assign(window, { __remoteSeen: seen });
      new MutationObserver(() => {
        if (document.body.textContent?.includes("This browser session has ended"))
          seen.ended = true;
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.keyboard.press("Enter");

    // The worker sees the sign-in succeed; the flow moves on by itself.
    await page
      .getByRole("heading", { level: 1, name: /Which buildings/ })
      .waitFor({ timeout: 20_000 })
      .catch(async (error: unknown) => {
        // What the worker saw, for whoever reads a failure (outcome only, no secrets).
        const state = await stack.db
          .select({
            id: loginSession.id,
            outcome: loginSession.outcome,
            endedAt: loginSession.endedAt,
            startedAt: loginSession.startedAt,
            meta: loginSession.meta,
          })
          .from(loginSession)
          .where(eq(loginSession.invitationId, created.id));
        await screenshot(page, "recipient-live-failure");
        throw new Error(
          `no sites step; login ${JSON.stringify(state)}, remote at ${worker.inspect(login.id)?.page?.url()}: ${String(error)}`,
        );
      });
    expect(
      await page.evaluate(() => (window as { __remoteSeen?: { ended: boolean } }).__remoteSeen),
    ).toEqual({ ended: false });
    await page.getByLabel("Harbor View Apartments").check();
    await page.getByRole("button", { name: "Connect my account" }).click();
    await page.getByRole("heading", { level: 1, name: /Thanks for connecting/ }).waitFor();
    // The first bills were read in this same signed-in browser before it closed.
    // Named: the company, not a placeholder.
    await page
      .getByText("Your first bills are already in: Acme Properties can see them now.")
      .waitFor();
    await screenshot(page, "recipient-live-3-done");

    const [row] = await stack.db
      .select({ connection })
      .from(invitationConnection)
      .innerJoin(connection, eq(connection.id, invitationConnection.connectionId))
      .where(eq(invitationConnection.invitationId, created.id));
    expect(row?.connection).toMatchObject({ status: "active", providerId: "sandbox-northwind" });
    const bills = await stack.db
      .select()
      .from(bill)
      .where(eq(bill.connectionId, row?.connection.id ?? ""));
    expect(bills.length).toBeGreaterThan(0);
    expect(row?.connection.sealedCredential).toBeTruthy();
    expect(row?.connection.sealedCredential).not.toContain("correct-horse-1");
    expect(stack.logLines.join("\n")).not.toContain("correct-horse-1");
    await page.close();
  }, 60_000);

  it("signs into an SMS-code portal, with the code typed live, then explains code forwarding", async () => {
    const { page, created, login } = await openLiveSignIn("sandbox-summit", "gas", "/summit/login");
    await clickRemote(page, login.id, "#email");
    await page.keyboard.type("alice@example.com");
    await clickRemote(page, login.id, "#password");
    await page.keyboard.type("correct-horse-1");
    await page.keyboard.press("Enter");

    // The portal asks for the code it texted; the page says so.
    await page.getByText("Enter the code Summit Gas sent you.").waitFor({ timeout: 20_000 });
    const sms = (await (
      await fetch(`${stack.sandboxUrl}/_control/codes/summit/alice@example.com`)
    ).json()) as { code: string };
    await clickRemote(page, login.id, "#otp");
    await page.keyboard.type(sms.code);
    await screenshot(page, "recipient-live-mfa-code");
    await page.keyboard.press("Enter");

    await page
      .getByRole("heading", { level: 1, name: /sign-in codes/ })
      .waitFor({ timeout: 20_000 });
    await screenshot(page, "recipient-live-mfa-forwarding");
    // The address the codes go to is shown before the connection exists, and kept.
    const address = await page
      .getByText(/^c-[0-9a-f]{12}@/)
      .first()
      .textContent();
    // Forwarding is proven before continuing: a message to the address turns it received ✓.
    await nodemailer
      .createTransport({ host: "127.0.0.1", port: stack.smtpPort, secure: false })
      .sendMail({ from: "alice@example.com", to: address ?? "", text: "forwarding test" });
    await page.getByTestId("forwarding-received").waitFor();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: /Which buildings/ }).waitFor();
    await page.getByLabel("Harbor View Apartments").check(); // the step needs a site (#24)
    await page.getByRole("button", { name: "Connect my account" }).click();
    await page.getByRole("heading", { level: 1, name: /Thanks for connecting/ }).waitFor();

    // What the portal received is what the recipient typed, code included.
    const attempts = (await (
      await fetch(`${stack.sandboxUrl}/_control/attempts?portal=summit&username=alice@example.com`)
    ).json()) as { attempts: { result: string; code?: string | null }[] };
    expect(attempts.attempts.some((a) => a.code === sms.code && a.result === "success")).toBe(true);
    const [row] = await stack.db
      .select({ connection })
      .from(invitationConnection)
      .innerJoin(connection, eq(connection.id, invitationConnection.connectionId))
      .where(eq(invitationConnection.invitationId, created.id));
    // Active with its first bills at once: no second sign-in, so no second code to wait for.
    expect(row?.connection).toMatchObject({ status: "active", providerId: "sandbox-summit" });
    const bills = await stack.db
      .select()
      .from(bill)
      .where(eq(bill.connectionId, row?.connection.id ?? ""));
    expect(bills.length).toBeGreaterThan(0);
    expect(address?.startsWith(`${row?.connection.forwardingKey}@`)).toBe(true);
    expect(stack.logLines.join("\n")).not.toContain(sms.code);
    await page.close();
  }, 90_000);

  it("hands the code to a colleague: the same live browser on a second device, link used once", async () => {
    const { page, login } = await openLiveSignIn("sandbox-summit", "gas", "/summit/login");
    await clickRemote(page, login.id, "#email");
    await page.keyboard.type("alice@example.com");
    await clickRemote(page, login.id, "#password");
    await page.keyboard.type("correct-horse-1");
    await page.keyboard.press("Enter");
    await page.getByText("Enter the code Summit Gas sent you.").waitFor({ timeout: 20_000 });

    // The phone is with Sam: the recipient hands the sign-in over.
    await page.getByRole("button", { name: /Hand this sign-in to them/ }).click();
    await page.getByLabel("Your colleague's name").fill("Sam");
    await page.getByRole("button", { name: "Create the link" }).click();
    const link = (await page.getByTestId("handoff-link").textContent()) ?? "";
    expect(link).toMatch(/\/p\/h\//);
    await page.getByText("Sam is entering the code…").waitFor();

    // Sam's own device (another browser context: no cookies in common).
    const samContext = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const sam = await samContext.newPage();
    await sam.goto(link);
    await sam.getByRole("heading", { level: 1, name: "Sam is entering the code" }).waitFor();
    await sam.getByRole("button", { name: "Open the sign-in" }).click();
    await sam
      .getByTestId("remote-url")
      .filter({ hasText: "/summit/" })
      .waitFor({ timeout: 20_000 });
    const sms = (await (
      await fetch(`${stack.sandboxUrl}/_control/codes/summit/alice@example.com`)
    ).json()) as { code: string };
    await clickRemote(sam, login.id, "#otp");
    await sam.keyboard.type(sms.code);
    await sam.keyboard.press("Enter");
    await sam.getByRole("heading", { level: 1, name: "Done ✓" }).waitFor({ timeout: 20_000 });
    await screenshot(sam, "recipient-handoff-colleague-done");

    // The recipient's page continues by itself once the portal accepted the code.
    await page
      .getByRole("heading", { level: 1, name: /sign-in codes/ })
      .waitFor({ timeout: 20_000 });

    // The link again, on a third device: refused, saying why.
    const otherContext = await browser.newContext();
    const other = await otherContext.newPage();
    await other.goto(link);
    await other.getByText(/already used on another device/).waitFor();
    await Promise.all([samContext.close(), otherContext.close(), page.close()]);
  }, 90_000);

  it("from the admin's email to a fulfilled invitation, on a phone, in French", async () => {
    const user = await createAdminUser(stack.db, stack.company.id);
    const admin = callerFor(stack.db, adminSessionOf(user), { jobs: stack.jobs });
    const created = await admin.admin.invitations.create({
      kind: "contributor",
      allowedEmails: ["gestion@harbor.test"],
      delivery: { kind: "email", recipients: ["gestion@harbor.test"] },
      locale: "fr",
      maxUses: 1,
      prefill: { providerId: "sandbox-lumiere", utilityTypes: ["electricity"] },
    } as Parameters<typeof admin.admin.invitations.create>[0]);
    // The job runner sends the email to the sink; the recipient clicks its button.
    const email = await stack.mail.waitForMessage({ to: "gestion@harbor.test", timeoutMs: 20_000 });
    const links = await stack.mail.links(email.id);
    const link = links.find((l) => l.href.includes("/p/i/"))?.href;
    if (!link) throw new Error("no invitation link in the email");

    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: "fr-FR",
    });
    const page = await phone.newPage();
    await page.goto(link);
    // The address came with the link: no verification step for the person it was sent to.
    await page.getByLabel(/J'accepte de partager/).check();
    await page.getByRole("button", { name: "Commencer" }).click();
    await page.getByRole("button", { name: "Continuer" }).click();
    await page
      .getByTestId("remote-url")
      .filter({ hasText: "/lumiere/connexion" })
      .waitFor({ timeout: 20_000 });
    await page.getByText("Démarrage d'un navigateur sécurisé…").waitFor({ state: "detached" });
    const [login] = await stack.db
      .select()
      .from(loginSession)
      .where(eq(loginSession.invitationId, created.id))
      .orderBy(desc(loginSession.startedAt))
      .limit(1);
    if (!login) throw new Error("no login session");
    await clickRemote(page, login.id, "#identifiant");
    await page.keyboard.type("alice@example.fr");
    await clickRemote(page, login.id, "#motdepasse");
    await page.keyboard.type("correct-horse-1");
    await screenshot(page, "recipient-live-phone-fr-typed");
    await page.keyboard.press("Enter");

    await page
      .getByRole("heading", { level: 1, name: /Quels bâtiments ce compte couvre-t-il/ })
      .waitFor({ timeout: 20_000 });
    await page.getByLabel("Harbor View Apartments").check(); // the step needs a site (#24)
    await page.getByRole("button", { name: "Connecter mon compte" }).click();
    await page.getByRole("heading", { level: 1, name: /Merci d'avoir connecté/ }).waitFor();
    await screenshot(page, "recipient-live-phone-fr-done");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );

    const detail = await admin.admin.invitations.get({ id: created.id });
    expect(detail.status).toBe("fulfilled");
    expect(detail.connections).toHaveLength(1);
    expect(detail.events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        "email_sent",
        "viewed",
        "login_started",
        "login_succeeded",
        "submitted",
        "fulfilled",
      ]),
    );
    await phone.close();
  }, 90_000);

  it("moves the line as browsers free up: the first in line gets the first, positions go down", async () => {
    // Capacity 2, both taken.
    const holders = [
      await openLiveSignIn("sandbox-northwind", "electricity", "/northwind/login"),
      await openLiveSignIn("sandbox-northwind", "electricity", "/northwind/login"),
    ];
    const third = await openSignInStep("sandbox-northwind", "electricity");
    await third.page.getByText(/You are number 1 in line/).waitFor({ timeout: 20_000 });
    const fourth = await openSignInStep("sandbox-northwind", "electricity");
    await fourth.page.getByText(/You are number 2 in line/).waitFor({ timeout: 20_000 });
    await screenshot(fourth.page, "recipient-live-queue-2");

    // The first recipient closes their tab: the first in line gets that browser…
    await holders[0]?.page.close();
    await third.page
      .getByTestId("remote-url")
      .filter({ hasText: "/northwind/login" })
      .waitFor({ timeout: 20_000 });
    // …and the one behind moves up.
    await fourth.page.getByText(/You are number 1 in line/).waitFor({ timeout: 20_000 });
    await holders[1]?.page.close();
    await fourth.page
      .getByTestId("remote-url")
      .filter({ hasText: "/northwind/login" })
      .waitFor({ timeout: 20_000 });
    await Promise.all([third.page.close(), fourth.page.close()]);
  });

  it("announces every wrong password, clears it while they retype, and explains a lockout", async () => {
    const { page, login } = await openLiveSignIn(
      "sandbox-northwind",
      "electricity",
      "/northwind/login",
    );
    const banner = page.getByRole("alert");
    for (const attempt of [1, 2, 3]) {
      if (attempt === 1) {
        await clickRemote(page, login.id, "#username");
        await page.keyboard.type("alice");
      }
      await clickRemote(page, login.id, "#password");
      await page.keyboard.type(`wrong-${attempt}`);
      await page.keyboard.press("Enter");
      await banner
        .filter({ hasText: attempt === 1 ? /did not accept/ : `attempt ${attempt}` })
        .waitFor({ timeout: 20_000 });
      // Retyping takes the old verdict away.
      await clickRemote(page, login.id, "#password");
      await page.keyboard.type("x");
      await banner.waitFor({ state: "detached" });
      await page.keyboard.press("Backspace");
    }
    await screenshot(page, "recipient-live-failures");
    await page.close();

    // A portal that says the account is locked is not a typo: say what to do instead.
    const locked = await openLiveSignIn("sandbox-northwind", "electricity", "/northwind/login");
    await clickRemote(locked.page, locked.login.id, "#username");
    await locked.page.keyboard.type("locked");
    await clickRemote(locked.page, locked.login.id, "#password");
    await locked.page.keyboard.type("correct-horse-1");
    await locked.page.keyboard.press("Enter");
    await locked.page
      .getByRole("alert")
      .filter({ hasText: "says this account is locked" })
      .waitFor({ timeout: 20_000 });
    await screenshot(locked.page, "recipient-live-locked");
    await locked.page.close();
  });
  it("on a phone, the keyboard's input sits on the focused remote field and keeps it in view", async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 3,
    });
    const { page, login } = await openLiveSignIn(
      "sandbox-northwind",
      "electricity",
      "/northwind/login",
      phone,
    );
    const input = page.getByTestId("remote-input");
    /** The hidden input (what the on-screen keyboard types into) lies over the field. */
    const inputOverField = async (selector: string) => {
      const field = await drawnBox(page, login.id, selector);
      const box = await input.boundingBox();
      if (!box) return `no input box`;
      const off = Math.max(Math.abs(box.x - field.x), Math.abs(box.y - field.y));
      return off <= 3 && Math.abs(box.width - field.width) <= 3 ? "over" : `${off}px off`;
    };
    const field = await drawnBox(page, login.id, "#password");
    await page.touchscreen.tap(field.x + field.width / 2, field.y + field.height / 2);
    await expect.poll(() => inputOverField("#password"), { timeout: 10_000 }).toBe("over");
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe("TEXTAREA");
    await screenshot(page, "recipient-live-phone-keyboard-1-focused");

    // The on-screen keyboard opens: the visible page shrinks to what is above it.
    const visibleHeight = 420;
    await page.setViewportSize({ width: 390, height: visibleHeight });
    const fieldVisible = async () => {
      const now = await drawnBox(page, login.id, "#password");
      return now.y >= 0 && now.y + now.height <= visibleHeight;
    };
    await expect.poll(fieldVisible, { timeout: 10_000 }).toBe(true);
    await expect.poll(() => inputOverField("#password"), { timeout: 10_000 }).toBe("over");
    // What the keyboard types still lands in that field.
    await page.keyboard.type("abc");
    const remote = worker.inspect(login.id)?.page;
    await expect
      .poll(() => remote?.$eval("#password", (el) => (el as HTMLInputElement).value))
      .toBe("abc");
    await screenshot(page, "recipient-live-phone-keyboard-2-shrunk");
    expect(await axeProblems(page)).toEqual([]);
    await phone.close();
  }, 60_000);
});
