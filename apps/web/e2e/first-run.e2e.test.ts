// A new deployment without the demo seed: the first visitor sets up the company and its
// owner, then it is the normal sign-in; the owner invites an admin by email, who imports
// the sites from a CSV, adds the company's own utility and prefills an invitation with it;
// the recipient types that utility's address and signs in live, in a real browser worker
// restricted to its domain, and the admin sees the connection.
//
// The utility's portal is real https under a public name (tls-portal.ts): the worker's
// egress lookup maps that one name to loopback and its Chromium pins that one certificate.
import {
  collectionRun,
  connection,
  invitationConnection,
  loginSession,
  provider,
} from "@meterlink/db";
import { freePort } from "@meterlink/db/embedded";
import { desc, eq } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TWorker } from "../../browser-worker/src/server";
import { launchBrowser, screenshot, signInAdmin } from "./browser";
import { remoteOf, startFleetWorker } from "./remote";
import { startStack } from "./stack";
import { startTlsPortal } from "./tls-portal";

const FLEET_TOKEN = "e2e-fleet-token-first-run-0123456789";
const PORTAL_HOST = "my.baysidewater-utility.com";
const PORTAL_PASSWORD = "bayside-portal-pass-1";

let stack: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;
let portal: Awaited<ReturnType<typeof startTlsPortal>>;
let worker: TWorker;
/** The invitation link the admin creates for the company's own utility. */
let invitationLink = "";
const { clickRemote } = remoteOf(() => worker);

beforeAll(async () => {
  const workerPort = await freePort();
  [stack, browser, portal] = await Promise.all([
    startStack({
      seed: false,
      env: { FLEET_TOKEN, FLEET_WORKERS: `127.0.0.1:${workerPort}` },
    }),
    launchBrowser(),
    startTlsPortal({
      hostname: PORTAL_HOST,
      name: "Bayside Water",
      password: PORTAL_PASSWORD,
      otherSite: "https://www.partner-payments.com/pay",
    }),
  ]);
  worker = await startFleetWorker({
    internalUrl: stack.internalUrl,
    fleetToken: FLEET_TOKEN,
    port: workerPort,
    workerId: "e2e-first-run-worker",
    // The real egress guard, with a DNS that knows only the portal's name, and loopback
    // refused except the portal's one port.
    egress: {
      lookup: async (hostname) =>
        hostname === PORTAL_HOST ? [{ address: "127.0.0.1", family: 4 }] : [],
      allowPrivate: [`127.0.0.1:${portal.port}`],
    },
    trustedCertificateSpki: [portal.spki],
  });
}, 60_000);
afterAll(async () => {
  await worker?.close();
  await browser?.close();
  await stack?.close();
  await portal?.close();
});

describe("first-run setup (real Chromium, empty database)", () => {
  it("creates the company and owner, signs in, and is then closed", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.url}/connections`);
    await page.getByRole("heading", { name: "Set up Meterlink" }).waitFor();

    await page.getByLabel("Company name").fill("Bayside Estates");
    await page.getByLabel("Your name").fill("Olive Owner");
    await page.getByLabel("Email").fill("olive@bayside.test");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create company" }).click();
    await page.getByText("Choose a password of at least 8 characters.").waitFor();
    await screenshot(page, "first-run-setup");

    await page.getByLabel("Password").fill("a-long-password");
    await page.getByRole("button", { name: "Create company" }).click();
    await page.getByRole("heading", { name: "Connections" }).waitFor();

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    // Set up once: the setup page now leads to the sign-in.
    await page.goto(`${stack.url}/setup`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.getByLabel("Email").fill("olive@bayside.test");
    await page.getByLabel("Password").fill("a-long-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Connections" }).waitFor();
    // The shell names the company the owner created (the desktop sidebar; the mobile bar hides).
    await page.getByText("Bayside Estates").filter({ visible: true }).first().waitFor();
    await page.close();
  });

  it("the owner invites an admin by email; the admin imports sites and adds a utility", async () => {
    const ownerContext = await browser.newContext();
    const owner = await ownerContext.newPage();
    await owner.goto(`${stack.url}/sign-in`);
    await owner.getByLabel("Email").fill("olive@bayside.test");
    await owner.getByLabel("Password").fill("a-long-password");
    await owner.getByRole("button", { name: "Sign in" }).click();
    await owner.getByRole("heading", { name: "Connections" }).waitFor();
    await owner.goto(`${stack.url}/settings/team`);
    await owner.getByRole("heading", { name: "Team" }).waitFor();
    const invite = owner.getByRole("form", { name: "Invite a team member" });
    await invite.getByLabel("Email").fill("ada@bayside.test");
    await invite.getByRole("button", { name: "Send invitation" }).click();
    await owner.getByText("ada@bayside.test · Admin").waitFor();
    await screenshot(owner, "team-invited");

    // The email in the mail sink; its link opens the join page in another browser.
    const email = await stack.mail.waitForMessage({ to: "ada@bayside.test", timeoutMs: 20_000 });
    const link = (await stack.mail.links(email.id)).find((found) =>
      found.href.includes("/join?token="),
    )?.href;
    expect(link).toBeDefined();
    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    await admin.goto(link ?? "");
    await admin
      .getByText("Bayside Estates invites ada@bayside.test to join as an admin.")
      .waitFor();
    await admin.getByLabel("Your name").fill("Ada Admin");
    await admin.getByLabel("Choose a password").fill("ada-long-password");
    await admin.getByRole("button", { name: "Join Bayside Estates" }).click();
    await admin.getByRole("heading", { name: "Connections" }).waitFor();

    // Three sites from a CSV with one bad line: shown by line, nothing imported, fixed.
    await admin.goto(`${stack.url}/sites`);
    await admin.getByRole("heading", { name: "Sites" }).waitFor();
    await admin.getByRole("button", { name: "Import CSV" }).click();
    const withBadLine = "name,address\nHarbor Tower,1 Quay St\n,2 Mill Rd\nDock 4,3 Pier\n";
    await admin.getByLabel("CSV file", { exact: true }).setInputFiles({
      name: "sites.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(withBadLine),
    });
    await admin.getByText("Line 3:").waitFor();
    await admin.getByText("Enter the site's name.").waitFor();
    await expect(admin.getByRole("button", { name: "Import 2 sites" }).isDisabled()).resolves.toBe(
      true,
    );
    await screenshot(admin, "sites-import-error");
    await admin.getByLabel("CSV file", { exact: true }).setInputFiles({
      name: "sites-fixed.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(withBadLine.replace(",2 Mill Rd", "Mill House,2 Mill Rd")),
    });
    await admin.getByRole("button", { name: "Import 3 sites" }).click();
    await admin.getByRole("cell", { name: "Mill House", exact: true }).waitFor();
    await expect(admin.getByRole("row").count()).resolves.toBe(4);

    // The company's own utility, by address: an http address is refused with the reason.
    await admin.goto(`${stack.url}/settings/utilities`);
    await admin.getByLabel("Name").fill("Bayside Water");
    await admin.getByLabel("Country").fill("US");
    await admin
      .getByLabel("Website or sign-in address")
      .fill("http://my.baysidewater-utility.com/");
    await admin.getByRole("checkbox", { name: "Water" }).check();
    await admin.getByRole("button", { name: "Add utility" }).click();
    await admin.getByText("Only https addresses are allowed").waitFor();
    await admin
      .getByLabel("Website or sign-in address")
      // The port is the test portal's (a real utility's address has none).
      .fill(portal.signInUrl);
    await admin.getByRole("button", { name: "Add utility" }).click();
    await admin.getByText("Opens only *.baysidewater-utility.com").waitFor();

    // The wizard finds it by name; the review names it.
    await admin.goto(`${stack.url}/invitations/new`);
    await admin.getByRole("heading", { name: "Who is this invitation for?" }).waitFor();
    await admin.getByRole("button", { name: "Continue" }).click();
    await admin.getByRole("heading", { name: "Access and prefill" }).waitFor();
    await admin.getByRole("combobox", { name: "Utility" }).fill("Bayside");
    await admin.getByRole("option", { name: /Bayside Water/ }).click();
    await admin.getByRole("checkbox", { name: "Harbor Tower" }).check();
    await admin.getByRole("button", { name: "Continue" }).click();
    await admin.getByRole("radio", { name: /I'll share the link myself/ }).check();
    await admin.getByRole("button", { name: "Continue" }).click();
    await admin.getByRole("heading", { name: "Review" }).waitFor();
    await admin.getByText("Bayside Water", { exact: true }).waitFor();
    await screenshot(admin, "wizard-review-own-utility");
    await admin.getByRole("button", { name: "Create invitation" }).click();
    await admin.getByRole("heading", { name: "Your invitation is ready" }).waitFor();
    invitationLink = await admin.getByLabel("Invitation link").inputValue();
    await ownerContext.close();
    await adminContext.close();
  });

  it("the recipient types that utility's address and signs in live, restricted to its domain", async () => {
    expect(invitationLink).toMatch(/\/p\/i\//);
    const recipientContext = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await recipientContext.newPage();
    await page.goto(invitationLink);
    await page.getByLabel(/I agree/).check();
    await page.getByRole("button", { name: "Get started" }).click();
    // The utility is prefilled; the recipient goes by the address on their bill instead.
    await page.getByRole("button", { name: "Choose another utility" }).click();
    await page
      .getByRole("button", { name: "My utility is not listed — enter its website" })
      .click();
    await page.getByRole("heading", { level: 1, name: "Tell us about your utility" }).waitFor();
    await page.getByLabel("Website address").fill(portal.signInUrl);
    await page.getByRole("button", { name: "Continue" }).click();

    // The company's own utility uses that domain: it is that utility, signed into live.
    await page.getByRole("heading", { level: 1, name: "Sign in to Bayside Water" }).waitFor();
    await page
      .getByTestId("remote-url")
      .filter({ hasText: PORTAL_HOST })
      .waitFor({ timeout: 20_000 });
    await page.getByText("Starting a secure browser…").waitFor({ state: "detached" });
    const [login] = await stack.db
      .select({ id: loginSession.id })
      .from(loginSession)
      .orderBy(desc(loginSession.startedAt))
      .limit(1);
    if (!login) throw new Error("no login session");
    await screenshot(page, "first-run-recipient-live");

    // A link to another domain is not followed: the remote browser stays on the portal.
    await clickRemote(page, login.id, "#elsewhere");
    await page.getByText("This window only opens Bayside Water's website.").waitFor();
    expect(worker.inspect(login.id)?.page?.url()).toBe(portal.signInUrl);

    await clickRemote(page, login.id, "#username");
    await page.keyboard.type("ada.bayside");
    await page.keyboard.press("Tab");
    await page.keyboard.type(PORTAL_PASSWORD);
    await page.keyboard.press("Enter");
    // The worker sees the portal leave its sign-in page (no rules: an unknown portal).
    await page
      .getByRole("heading", { level: 1, name: "Which buildings does this account cover?" })
      .waitFor({ timeout: 20_000 });
    expect(portal.attempts).toEqual([{ username: "ada.bayside", result: "success" }]);
    await page.getByLabel("Harbor Tower").check();
    await page.getByRole("button", { name: "Connect my account" }).click();
    await page.getByRole("heading", { level: 1, name: /Thanks for connecting/ }).waitFor();
    // The portal had no bills yet: the page says so, and promises none that are not there.
    await page.getByText(/no bills on this account yet/).waitFor();
    await expect(page.getByText(/first bills are already in/).count()).resolves.toBe(0);
    await screenshot(page, "first-run-recipient-done");

    // The company's own utility is in its catalog, so the connection is that utility's,
    // not "unlisted" (which names addresses no provider the company sees uses).
    const [own] = await stack.db
      .select({ id: provider.id })
      .from(provider)
      .where(eq(provider.name, "Bayside Water"));
    const rows = await stack.db
      .select({ connection })
      .from(invitationConnection)
      .innerJoin(connection, eq(connection.id, invitationConnection.connectionId));
    expect(rows).toHaveLength(1);
    const created = rows[0]?.connection;
    expect(created).toMatchObject({
      providerId: own?.id,
      providerName: "Bayside Water",
      unlistedDomain: null,
    });
    expect(created?.sealedCredential).toBeTruthy();
    expect(created?.sealedCredential).not.toContain(PORTAL_PASSWORD);

    // Pending until its first collection; that ran in the recipient's own signed-in
    // browser before it closed (#19), so it is already active: the account opened and
    // showed no bills yet, and no second sign-in was needed.
    expect(created?.status).toBe("active");
    const runs = await stack.db
      .select({
        trigger: collectionRun.trigger,
        status: collectionRun.status,
        found: collectionRun.billsFound,
      })
      .from(collectionRun)
      .where(eq(collectionRun.connectionId, created?.id ?? ""));
    expect(runs).toEqual([{ trigger: "first", status: "succeeded", found: 0 }]);
    expect(portal.attempts).toHaveLength(1);

    // The admin sees it, named by the utility, on the site the recipient chose.
    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    await signInAdmin(admin, {
      url: stack.url,
      email: "ada@bayside.test",
      password: "ada-long-password",
      next: "/connections",
      heading: "Connections",
    });
    const row = admin.getByRole("row", { name: /Bayside Water/ });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/Bayside Water.*Harbor Tower.*active/s);
    await expect(row.getByText("Unlisted").count()).resolves.toBe(0);
    expect(stack.logLines.join("\n")).not.toContain(PORTAL_PASSWORD);
    await screenshot(admin, "first-run-admin-connection");
    await Promise.all([recipientContext.close(), adminContext.close()]);
  }, 60_000);
});
