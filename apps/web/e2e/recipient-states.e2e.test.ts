// Honest states in the recipient flow (#24 items 1 and 6): a link that dies while the
// recipient is mid-flow shows its final page at the next step, before anything more is
// asked; a reconnect names the account and why (item 2); the sites step asks for a site
// and a utility type and promises only what will happen (item 5); a dead link names its company, recognises whoever used it up, and can ask the
// sender for a new one through the real email queue and mail sink.
import { randomUUID } from "node:crypto";
import { company, emailMessage, invitation, invitationEvent } from "@meterlink/db";
import { and, eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announceInvitationChanged } from "../../api/src/services/recipient/invitation-cache";
import {
  adminSessionOf,
  callerFor,
  createAdminUser,
  createConnection,
} from "../../api/test/factories";
import { tokenOf } from "../../api/test/invitations";
import { axeProblems, launchBrowser, screenshot, signInAdmin } from "./browser";
import { startStack } from "./stack";

/**
 * A username no other test of this file connected: the same account connected twice in a
 * company is (rightly) refused as a duplicate, which would stop a later test's flow.
 */
const uniqueUser = (name: string) => `${name}+${randomUUID().slice(0, 8)}@example.com`;

let stack: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;
let admin: ReturnType<typeof callerFor>;
let adminEmail: string;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  const user = await createAdminUser(stack.db, stack.company.id);
  adminEmail = user.email;
  admin = callerFor(stack.db, adminSessionOf(user), { jobs: stack.jobs });
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

type TCreate = Parameters<typeof admin.admin.invitations.create>[0];

async function invite(overrides: Partial<TCreate> = {}) {
  const created = await admin.admin.invitations.create({
    kind: "contributor",
    delivery: { kind: "manual" },
    maxUses: 1,
    ...overrides,
  } as TCreate);
  return { id: created.id, token: tokenOf(created.url) };
}

/** As if its time ran out; the API's invitation cache is told, as any change would tell it. */
async function expire(invitationId: string) {
  await stack.db.transaction(async (tx) => {
    await tx
      .update(invitation)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(invitation.id, invitationId));
    await announceInvitationChanged(tx, invitationId);
  });
}

async function heading(page: Page, name: string | RegExp) {
  await page.getByRole("heading", { level: 1, name }).waitFor();
}

async function expectAccessible(page: Page, name: string) {
  expect(await axeProblems(page), `axe violations on ${name}`).toEqual([]);
}

async function consent(page: Page) {
  await heading(page, /asks you to connect/);
  await page.getByLabel(/I agree/).check();
  await page.getByRole("button", { name: "Get started" }).click();
}

/** From the utility step: an unlisted utility, up to the manual sign-in form. */
async function toManualCredentials(page: Page) {
  await heading(page, /Which utility/);
  await page.getByRole("button", { name: "My utility is not listed" }).click();
  await page.getByLabel("Utility name").fill("City Water");
  await page.getByRole("button", { name: "Continue" }).click();
  await heading(page, /sign-in details/);
}

describe("recipient states (real Chromium)", { timeout: 45_000 }, () => {
  it("a link that expires on the utility step shows the expired page instead of the sign-in step", async () => {
    const { id, token } = await invite({
      prefill: { providerId: "sandbox-northwind" },
    } as Partial<TCreate>);
    const page = await browser.newPage();
    await page.goto(`${stack.url}/p/i/${token}`);
    await consent(page);
    await page.getByText("Acme Properties asked you to connect this utility:").waitFor();

    await expire(id);
    await page.getByRole("button", { name: "Continue" }).click();
    await heading(page, "This link has expired");
    // Nothing more is asked, and nothing pretends the secure browser is the problem.
    await expect(page.getByLabel(/^Password$/).count()).resolves.toBe(0);
    await expect(page.getByText(/secure browser is not available/).count()).resolves.toBe(0);
    await screenshot(page, "states-expired-mid-flow");
    await expectAccessible(page, "expired mid-flow");
    await page.close();
  });

  it("a stale tab on a link used up in another tab says so at its next step, and recognises who did it", async () => {
    const { token } = await invite();
    const context = await browser.newContext({ timezoneId: "America/New_York" });
    const stale = await context.newPage();
    await stale.goto(`${stack.url}/p/i/${token}`);
    await consent(stale);
    await toManualCredentials(stale);

    // The same person finishes in a second tab (same browser, same recipient session).
    const other = await context.newPage();
    await other.goto(`${stack.url}/p/i/${token}`);
    await toManualCredentials(other);
    const sam = uniqueUser("sam");
    await other.getByLabel("Username or email").fill(sam);
    await other.getByLabel(/^Password$/).fill("correct-horse-1");
    await other.getByRole("button", { name: "Continue" }).click();
    await heading(other, /Which buildings/);
    await other.getByLabel("Harbor View Apartments").check();
    await other.getByLabel("Water").check();
    await other.getByRole("button", { name: "Connect my account" }).click();
    await heading(other, /Thanks for connecting/);

    // Back in the first tab: the next step shows the final page, not the sites step.
    await stale.bringToFront();
    await stale.getByLabel("Username or email").fill(sam);
    await stale.getByLabel(/^Password$/).fill("correct-horse-1");
    await stale.getByRole("button", { name: "Continue" }).click();
    await heading(stale, "You already connected this account");
    await expect(stale.getByRole("heading", { name: /Which buildings/ }).count()).resolves.toBe(0);
    // The time in the recipient's own zone.
    const [submitted] = await stack.db
      .select({ at: invitationEvent.createdAt })
      .from(invitationEvent)
      .where(eq(invitationEvent.type, "submitted"))
      .orderBy(invitationEvent.id);
    const when = new Intl.DateTimeFormat("en", {
      dateStyle: "long",
      timeStyle: "short",
      timeZone: "America/New_York",
    }).format(submitted?.at);
    await stale.getByText(`You connected it for Acme Properties on ${when}.`).waitFor();
    await screenshot(stale, "states-already-connected");
    await expectAccessible(stale, "already connected");

    // Someone else opening the used-up link is not told who connected, or when.
    const stranger = await browser.newPage();
    await stranger.goto(`${stack.url}/p/i/${token}`);
    await heading(stranger, "This link has already been used");
    await stranger.getByText("This invitation came from Acme Properties.").waitFor();
    await stranger.close();
    await context.close();
  });

  it("a dead link names the company, and 'Ask for a new link' emails the sender once", async () => {
    const { id, token } = await invite();
    await expire(id);
    const page = await browser.newPage();
    await page.goto(`${stack.url}/p/i/${token}`);
    await heading(page, "This link has expired");
    await page.getByText("This invitation came from Acme Properties.").waitFor();
    await expect(page.title()).resolves.toContain("Acme Properties");
    await screenshot(page, "states-expired-branded");
    await expectAccessible(page, "expired, branded");

    await page.getByRole("button", { name: "Ask for a new link" }).click();
    await page.getByText(/they now know you would like a new link/).waitFor();
    await screenshot(page, "states-new-link-asked");
    await expectAccessible(page, "new link asked");

    const sent = await stack.mail.waitForMessage({ to: adminEmail, timeoutMs: 15_000 });
    expect(sent.subject).toBe("A recipient asked for a new invitation link");
    const links = await stack.mail.links(sent.id);
    expect(links.map((link) => link.href)).toContain(`${stack.url}/invitations/${id}?status=all`);
    const events = await stack.db
      .select()
      .from(invitationEvent)
      .where(
        and(eq(invitationEvent.invitationId, id), eq(invitationEvent.type, "new_link_requested")),
      );
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({ status: "expired" });

    // Asking again gets the same answer and sends nothing more (one a day per invitation).
    await page.reload();
    await page.getByRole("button", { name: "Ask for a new link" }).click();
    await page.getByText(/they now know you would like a new link/).waitFor();
    const rows = await stack.db
      .select()
      .from(emailMessage)
      .where(and(eq(emailMessage.invitationId, id), eq(emailMessage.kind, "new_link_request")));
    expect(rows).toHaveLength(1);

    // A link that never existed names nobody and offers nothing.
    await page.goto(`${stack.url}/p/i/${"x".repeat(43)}`);
    await heading(page, "This link is not valid");
    await expect(page.getByText(/came from/).count()).resolves.toBe(0);
    await expect(page.getByRole("button", { name: "Ask for a new link" }).count()).resolves.toBe(0);
    await page.close();
  });

  it("a reconnect names the connection and why, and says it is reconnected, with no 'your your'", async () => {
    const target = await createConnection(stack.db, stack.company.id, {
      providerName: "City Water",
      statusReason: "The stored password stopped working.",
    });
    const { token } = await invite({
      kind: "reconnect",
      targetConnectionId: target.id,
    } as Partial<TCreate>);
    const page = await browser.newPage();
    await page.goto(`${stack.url}/p/i/${token}`);
    await heading(page, "Acme Properties asks you to reconnect your City Water account");
    await page.getByText("Why: The stored password stopped working.").waitFor();
    await screenshot(page, "states-reconnect-consent");
    await expectAccessible(page, "reconnect consent");
    await page.getByLabel(/I agree/).check();
    await page.getByRole("button", { name: "Get started" }).click();

    // This stack runs no browser fleet, so sign-in falls back to manual entry by itself.
    await heading(page, "Enter your City Water sign-in details");
    await page.getByLabel("Username or email").fill("sam@example.com");
    await page.getByLabel(/^Password$/).fill("new-horse-2");
    await page.getByRole("button", { name: "Continue" }).click();
    await heading(page, "Your City Water account is reconnected");
    await page.getByText("Acme Properties can collect your bills again.").waitFor();
    await expect(page.getByText(/Thanks for connecting/).count()).resolves.toBe(0);
    await screenshot(page, "states-reconnect-done");
    await expectAccessible(page, "reconnect done");
    await page.close();
  });

  it("the sites step needs a site and a utility type, keeps the admin's type, and promises no instant bills for manual entry", async () => {
    const { id, token } = await invite({
      prefill: { utilityTypes: ["water"] },
    } as Partial<TCreate>);
    const page = await browser.newPage();
    await page.goto(`${stack.url}/p/i/${token}`);
    await consent(page);
    await toManualCredentials(page);
    await page.getByLabel("Username or email").fill(uniqueUser("sam"));
    await page.getByLabel(/^Password$/).fill("correct-horse-1");
    await page.getByRole("button", { name: "Continue" }).click();
    await heading(page, /Which buildings/);
    // The admin's prefilled utility type is ticked.
    await expect(page.getByLabel("Water").isChecked()).resolves.toBe(true);
    await page.getByLabel("Water").uncheck();
    await page.getByRole("button", { name: "Connect my account" }).click();
    await page.getByText("Pick at least one site.").waitFor();
    await page.getByText("Pick at least one thing this account supplies.").waitFor();
    await heading(page, /Which buildings/);
    await screenshot(page, "states-sites-required");
    await expectAccessible(page, "sites required");
    const [row] = await stack.db.select().from(invitation).where(eq(invitation.id, id));
    expect(row?.uses).toBe(0);

    await page.getByLabel("Harbor View Apartments").check();
    await page.getByLabel("Water").check();
    await expect(page.getByText("Pick at least one site.").count()).resolves.toBe(0);
    await page.getByRole("button", { name: "Connect my account" }).click();
    await heading(page, /Thanks for connecting/);
    // Manual entry of an unlisted utility: no "first bills in the next few minutes".
    await expect(page.getByText(/in the next few minutes/).count()).resolves.toBe(0);
    await page.getByText(/once Acme Properties has set up collection for this utility/).waitFor();
    await screenshot(page, "states-done-manual");
    await page.close();
  });

  it("signs the message with the admin's name, and a step's heading takes focus without drawing a focus box", async () => {
    const { token } = await invite({ message: "Hi Sam, for the Harbor bills." });
    const page = await browser.newPage();
    await page.goto(`${stack.url}/p/i/${token}`);
    await heading(page, /asks you to connect/);
    // As the email says: the admin who wrote it, not the company.
    await page.getByText("Message from Test Admin").waitFor();
    await page.getByLabel(/I agree/).focus();
    await page.keyboard.press("Space");
    await page.getByRole("button", { name: "Get started" }).focus();
    await page.keyboard.press("Enter");
    await heading(page, /Which utility/);
    const focused = page.locator("h1:focus");
    await expect(focused.textContent()).resolves.toMatch(/Which utility/);
    await expect(focused.evaluate((el) => getComputedStyle(el).outlineStyle)).resolves.toBe("none");
    await page.close();
  });

  it("an invitation created in French sends a French email and opens a French page, until the recipient switches", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const adminPage = await context.newPage();
    await signInAdmin(adminPage, {
      url: stack.url,
      email: stack.admin.email,
      password: stack.admin.password,
      next: "/invitations/new",
      heading: "Who is this invitation for?",
    });
    await adminPage.getByRole("button", { name: "Continue" }).click();
    await adminPage.getByRole("heading", { name: "Access and prefill" }).waitFor();
    await adminPage.getByRole("button", { name: "Continue" }).click();
    await adminPage.getByRole("heading", { name: "How should it reach them?" }).waitFor();
    await adminPage.getByLabel("Recipients").fill("marie@example.fr");
    await adminPage.getByLabel("Language").selectOption("fr");
    await screenshot(adminPage, "states-wizard-language");
    await expectAccessible(adminPage, "wizard language");
    await adminPage.getByRole("button", { name: "Continue" }).click();
    await adminPage.getByText("Français").waitFor();
    await adminPage.getByRole("button", { name: "Create invitation" }).click();
    await adminPage.getByRole("heading", { name: "Your invitation is ready" }).waitFor();

    const sent = await stack.mail.waitForMessage({ to: "marie@example.fr", timeoutMs: 15_000 });
    expect(sent.subject).toMatch(/vous invite à connecter votre compte/);
    const link = (await stack.mail.links(sent.id)).find((l) => l.href.includes("/p/i/"));
    if (!link) throw new Error("no invitation link in the email");

    // An English browser opens it in French: the invitation's language wins…
    const page = await context.newPage();
    await page.goto(link.href);
    await heading(page, /vous demande de connecter un compte fournisseur/);
    await screenshot(page, "states-french-invitation");
    // …until the recipient switches, which is remembered.
    await page.getByLabel("Langue").selectOption("en");
    await heading(page, /asks you to connect a utility account/);
    await page.reload();
    await heading(page, /asks you to connect a utility account/);
    await context.close();
  });
});

describe("recipient on a phone (390×844, touch, DPR 3)", { timeout: 45_000 }, () => {
  const phoneContext = (locale = "en-US", timezoneId = "UTC") =>
    browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 3,
      locale,
      timezoneId,
    });

  /** The button is on screen as the page is now, without scrolling to it. */
  async function onScreen(page: Page, name: string) {
    const box = await page.getByRole("button", { name }).boundingBox();
    const viewport = page.viewportSize();
    return Boolean(box && viewport && box.y >= 0 && box.y + box.height <= viewport.height);
  }

  it("keeps the primary button on screen, and Back moves between steps without leaving", async () => {
    const { token } = await invite();
    const context = await phoneContext();
    const page = await context.newPage();
    const url = `${stack.url}/p/i/${token}`;
    await page.goto(url);
    await heading(page, /asks you to connect/);
    // The consent page is taller than the screen; its button is not below the fold.
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeGreaterThan(844);
    expect(await onScreen(page, "Get started")).toBe(true);
    await screenshot(page, "states-phone-1-consent-sticky");
    await expectAccessible(page, "phone consent");
    await page.getByLabel(/I agree/).check();
    await page.getByRole("button", { name: "Get started" }).click();
    await toManualCredentials(page);
    expect(await onScreen(page, "Continue")).toBe(true);
    await screenshot(page, "states-phone-2-credentials-sticky");

    // Back: the previous step, still in the flow…
    await page.goBack();
    await heading(page, /Which utility/);
    expect(page.url()).toBe(url);
    // …and never back before a gate already passed: consent stays given.
    await page.goBack();
    await heading(page, /Which utility/);
    expect(page.url()).toBe(url);
    await page.goForward();
    await heading(page, /Which utility/);
    await expectAccessible(page, "phone after back");
    await context.close();
  });

  it("a recipient who switched to French gets the verification email in French, in their time zone; the first tab says it continued in the other", async () => {
    // An English invitation, read by someone in Tokyo who switches the page to French.
    const { id, token } = await invite({ allowedEmails: ["yuki@example.jp"] });
    const context = await phoneContext("fr-FR", "Asia/Tokyo");
    const first = await context.newPage();
    await first.goto(`${stack.url}/p/i/${token}`);
    await heading(first, /asks you to connect/);
    await first.getByLabel("Language").selectOption("fr");
    await heading(first, /vous demande de connecter/);
    await first.getByLabel(/J'accepte/).check();
    await first.getByRole("button", { name: "Commencer" }).click();
    await heading(first, "Confirmez votre adresse e-mail");
    await first.getByLabel("Adresse e-mail").fill("yuki@example.jp");
    await first.getByRole("button", { name: "M'envoyer un lien" }).click();
    await heading(first, "Consultez votre boîte de réception");
    await first.getByText(/Ouvrez-le sur l'appareil où vous voulez continuer/).waitFor();

    const sent = await stack.mail.waitForMessage({ to: "yuki@example.jp", timeoutMs: 15_000 });
    expect(sent.subject).toBe("Confirmez votre adresse e-mail pour Acme Properties");
    // The link's expiry is written in French, at Tokyo's time.
    expect(sent.text).toMatch(/Ce lien expire le .* UTC\+9/);
    const link = (await stack.mail.links(sent.id)).find((l) => l.href.includes("/verify?v="));
    if (!link) throw new Error(`no verification link in the email to ${id}`);
    const second = await context.newPage();
    await second.goto(link.href);
    await second.getByRole("button", { name: "Continuer" }).click();
    await heading(second, /Quel fournisseur/);

    await heading(first, "Vous avez continué dans l'autre onglet");
    await screenshot(first, "states-phone-fr-continued-elsewhere");
    await expectAccessible(first, "continued in the other tab");
    // Continuing in the first tab after all hands over the other way.
    await first.getByRole("button", { name: "Continuer plutôt ici" }).click();
    await heading(first, /Quel fournisseur/);
    await heading(second, "Vous avez continué dans l'autre onglet");
    // An API refusal reaches the recipient in their language too.
    await second.goto(link.href);
    await second.getByRole("button", { name: "Continuer" }).click();
    await second
      .getByText("Ce lien de vérification a expiré ou a déjà servi.", { exact: false })
      .waitFor();
    await expectAccessible(second, "verification link used, French");
    await context.close();
  });
});

describe("white-label tab title and icon", { timeout: 45_000 }, () => {
  const VENDOR_ICON = "M9 22V10";
  async function tab(page: Page) {
    return page.evaluate(() => ({
      title: document.title,
      icon: document.querySelector<HTMLLinkElement>("link[rel~=icon]")?.href ?? "",
      text: document.body.textContent ?? "",
    }));
  }
  const noVendor = (seen: { title: string; icon: string; text: string }) => {
    expect(seen.title).not.toMatch(/meterlink/i);
    expect(seen.text).not.toMatch(/meterlink/i);
    expect(decodeURIComponent(seen.icon)).not.toContain(VENDOR_ICON);
  };

  it("shows no vendor name or icon while loading, on verification and on a dead link", async () => {
    await stack.db
      .update(company)
      .set({ whiteLabel: true })
      .where(eq(company.id, stack.company.id));
    const page = await browser.newPage();
    try {
      const { id, token } = await invite({ allowedEmails: ["pm@acme.test"] });
      // Loading: the page is held before the link's company is known.
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      await page.route("**/trpc/recipient.open**", async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(`${stack.url}/p/i/${token}`);
      await page.getByText("Loading…").waitFor();
      const loading = await tab(page);
      noVendor(loading);
      expect(loading.title).toBe("Connect your utility account");
      release();
      await heading(page, /asks you to connect/);
      await expect.poll(() => page.title()).toContain("Acme Properties");
      const opened = await tab(page);
      noVendor(opened);
      expect(opened.title).toBe("Acme Properties · Connect your utility account");
      // The company's own icon: its initial on its colour.
      expect(decodeURIComponent(opened.icon)).toContain(">A</text>");
      await page.unroute("**/trpc/recipient.open**");

      // The verification link's page wears the company too.
      await page.goto(`${stack.url}/p/i/${token}/verify?v=not-a-real-code-0000`);
      await heading(page, "Confirm your email address");
      // The company arrives with its own request; the tab says it once it is known.
      await expect.poll(() => page.title()).toContain("Acme Properties");
      const verifying = await tab(page);
      noVendor(verifying);
      expect(verifying.title).toContain("Acme Properties");
      await screenshot(page, "states-white-label-verify");
      await expectAccessible(page, "white-label verification page");

      await expire(id);
      await page.goto(`${stack.url}/p/i/${token}`);
      await heading(page, "This link has expired");
      await expect.poll(() => page.title()).toContain("Acme Properties");
      const dead = await tab(page);
      noVendor(dead);
      expect(dead.title).toContain("Acme Properties");
      await screenshot(page, "states-white-label-expired");
    } finally {
      await page.close();
      await stack.db
        .update(company)
        .set({ whiteLabel: false })
        .where(eq(company.id, stack.company.id));
    }
  });
});
