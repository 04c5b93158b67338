// The MFA step proves forwarding, in real Chromium against the real API: a recipient who
// types their Summit Gas (SMS code) or Lakeside (email code) details by hand gets the
// forwarding step, with the deployment's number or their address and per-device steps;
// the page turns to "Received ✓" by itself when a signed Twilio webhook (Summit) or an
// email through the inbound SMTP port (Lakeside, nodemailer) arrives; a recipient who
// skips leaves the admin "MFA forwarding not set up" on the connection.
import { randomBytes, randomUUID } from "node:crypto";
import nodemailer from "nodemailer";
import type { Browser, Page } from "playwright-core";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSessionOf, callerFor, createAdminUser } from "../../api/test/factories";
import { tokenOf } from "../../api/test/invitations";
import { launchBrowser, screenshot } from "./browser";
import { startStack } from "./stack";

/**
 * A username no other test of this file connected: the same account connected twice in a
 * company is (rightly) refused as a duplicate, which would stop a later test's flow.
 */
const uniqueUser = (name: string) => `${name}+${randomUUID().slice(0, 8)}@example.com`;

const SMS_NUMBER = "+15550100123";
const TWILIO_TOKEN = randomBytes(16).toString("hex");

let stack: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;
let admin: ReturnType<typeof callerFor>;

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    startStack({ env: { INBOUND_SMS_NUMBER: SMS_NUMBER, TWILIO_AUTH_TOKEN: TWILIO_TOKEN } }),
    launchBrowser(),
  ]);
  const user = await createAdminUser(stack.db, stack.company.id);
  admin = callerFor(stack.db, adminSessionOf(user));
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** Consent → the utility by name → its manual entry form → the MFA forwarding step. */
async function toForwardingStep(page: Page, utility: RegExp, country: string) {
  const created = await admin.admin.invitations.create({
    kind: "contributor",
    delivery: { kind: "manual" },
    maxUses: 1,
  });
  await page.goto(`${stack.url}/p/i/${tokenOf(created.url)}`);
  await page.getByLabel(/I agree/).check();
  await page.getByRole("button", { name: "Get started" }).click();
  await page.getByRole("heading", { level: 1, name: /Which utility/ }).waitFor();
  await page.getByLabel("Country").selectOption(country);
  await page.getByRole("button", { name: utility }).click();
  // Manual entry, whether or not a live browser would be available.
  const manualLink = page.getByRole("button", { name: /Enter your details instead/ });
  const manualHeading = page.getByRole("heading", { name: /sign-in details/ });
  await manualLink.or(manualHeading).first().waitFor();
  // Without a fleet the page may switch to manual entry by itself while the link is
  // being clicked (the link then detaches): either way the form comes.
  if (await manualLink.isVisible()) await manualLink.click({ timeout: 5_000 }).catch(() => {});
  await manualHeading.waitFor();
  await page.getByLabel("Username or email").fill(uniqueUser("alice"));
  await page.getByLabel(/^Password$/).fill("correct-horse-1");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("heading", { level: 1, name: /One more thing: sign-in codes/ }).waitFor();
}

async function finish(page: Page, button: "Continue" | "I'll do it later") {
  await page.getByRole("button", { name: button, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: /Which buildings/ }).waitFor();
  await page.getByLabel("Harbor View Apartments").check();
  await page.getByRole("button", { name: "Connect my account" }).click();
  await page.getByRole("heading", { level: 1, name: /Thanks for connecting/ }).waitFor();
}

/** A text to the shared number, posted as Twilio posts it (signed); the webhook's status. */
async function textShared(from: string, body: string) {
  const url = `${stack.url}/hooks/twilio/sms`;
  const params = {
    MessageSid: `SM${randomBytes(16).toString("hex")}`,
    From: from,
    To: SMS_NUMBER,
    Body: body,
  };
  const posted = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": twilio.getExpectedTwilioSignature(TWILIO_TOKEN, url, params),
    },
    body: new URLSearchParams(params).toString(),
  });
  return posted.status;
}

async function newestConnection() {
  const list = await admin.admin.connections.list();
  const newest = [...list].sort((a, b) => +new Date(b.createdAt) - +new Date(a.createdAt))[0];
  if (!newest) throw new Error("no connection");
  return await admin.admin.connections.get({ id: newest.id });
}

describe("the MFA forwarding step", () => {
  it("shows the SMS number and turns to received ✓ when a signed Twilio text arrives", async () => {
    const page = await browser.newPage();
    await toForwardingStep(page, /Summit Gas/, "US");
    await expect(page.getByTestId("forwarding-number").textContent()).resolves.toBe(SMS_NUMBER);
    await page.getByText("iPhone: Shortcuts automation").click();
    await page.getByText(/Add the action Send Message.*\+15550100123/).waitFor();
    const proceed = page.getByRole("button", { name: "Continue", exact: true });
    await expect(proceed.isDisabled()).resolves.toBe(true);
    await page.getByText("Waiting for a message…").waitFor();
    await screenshot(page, "recipient-mfa-waiting");

    // The recipient's phone forwards a text; Twilio posts it, signed.
    expect(await textShared("+13035550142", "Testing my forwarding")).toBe(200);
    await page.getByTestId("forwarding-received").waitFor();
    await expect(page.getByTestId("forwarding-received").textContent()).resolves.toMatch(
      /Received ✓/,
    );
    await screenshot(page, "recipient-mfa-received");
    await finish(page, "Continue");
    const view = await newestConnection();
    expect(view.providerName).toBe("Summit Gas");
    expect(view.forwarding).toMatchObject({ setUp: true, notice: null });
    await page.close();
  });

  it("tells two recipients testing the shared number at once apart by the word each is shown", async () => {
    const [first, second] = [await browser.newPage(), await browser.newPage()];
    await toForwardingStep(first, /Summit Gas/, "US");
    await toForwardingStep(second, /Summit Gas/, "US");
    const wordOf = async (page: Page) =>
      (await page.getByTestId("forwarding-word").locator("strong").textContent()) ?? "";
    const [firstWord, secondWord] = [await wordOf(first), await wordOf(second)];
    expect(firstWord).toMatch(/^[A-Z]{6}$/);
    expect(secondWord).not.toBe(firstWord);
    await screenshot(second, "recipient-mfa-word");

    // A text without a word could be either's: neither page claims it, and both say so,
    // asking for their word.
    expect(await textShared("+13035550177", "hello")).toBe(200);
    for (const page of [first, second]) {
      await page.getByText(/couldn't tell it was yours/).waitFor();
    }
    await screenshot(first, "recipient-mfa-unclaimed");
    // The second recipient texts their word (in lower case) from their phone.
    expect(await textShared("+13035550188", `test ${secondWord.toLowerCase()}`)).toBe(200);
    await second.getByTestId("forwarding-received").waitFor();
    await expect(first.getByTestId("forwarding-received").count()).resolves.toBe(0);
    await first.getByText("Waiting for a message…").waitFor();
    expect(await textShared("+13035550177", firstWord)).toBe(200);
    await first.getByTestId("forwarding-received").waitFor();
    await finish(first, "Continue");
    await finish(second, "Continue");
    await Promise.all([first.close(), second.close()]);
  });

  it("shows the address and turns to received ✓ when an email reaches the SMTP port", async () => {
    const page = await browser.newPage();
    await toForwardingStep(page, /Lakeside/, "CA");
    const address = (await page.getByTestId("forwarding-address").textContent()) ?? "";
    expect(address).toMatch(/^c-[0-9a-f]{12}@inbound\.meterlink\.test$/);
    await page.getByText("Gmail", { exact: true }).click();
    await page.getByText(/Add a forwarding address: c-/).waitFor();
    await nodemailer
      .createTransport({ host: "127.0.0.1", port: stack.smtpPort, secure: false })
      .sendMail({
        from: "alice@example.com",
        to: address,
        subject: "Fwd: test",
        text: `Testing ${randomUUID()}`,
      });
    await page.getByTestId("forwarding-received").waitFor();
    await finish(page, "Continue");
    const view = await newestConnection();
    expect(view.providerName).toBe("Lakeside Utilities");
    expect(view.forwarding.email).toBe(address);
    expect(view.forwarding.messages.map((m) => m.outcome)).toEqual(["received"]);
    await page.close();
  });

  it("lets the recipient skip, and the admin then sees forwarding is not set up", async () => {
    const page = await browser.newPage();
    await toForwardingStep(page, /Summit Gas/, "US");
    await finish(page, "I'll do it later");
    const view = await newestConnection();
    expect(view.providerName).toBe("Summit Gas");
    expect(view.forwarding.notice).toMatch(/^MFA forwarding not set up/);
    await page.close();
  });
});
