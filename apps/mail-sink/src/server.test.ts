import { Resend } from "resend";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createMailSinkClient } from "./client";
import { startMailSink, type TMailSink } from "./server";

let sink: TMailSink;
let resend: Resend;
let client: ReturnType<typeof createMailSinkClient>;

beforeAll(async () => {
  sink = await startMailSink({ port: 0 });
  client = createMailSinkClient(sink.url);
  // The SDK reads RESEND_BASE_URL once, in its constructor: this is how the API is pointed at the sink.
  vi.stubEnv("RESEND_BASE_URL", sink.url);
  resend = new Resend("re_test_key");
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await sink.close();
});

beforeEach(async () => {
  await client.clear();
  await client.clearFaults();
});

const invitation = {
  from: "Acme Buildings <invitations@acme.example>",
  to: "owner@building.example",
  subject: "Connect your utility account",
  html: '<p>Hello</p><a href="https://app.example/p/i/tok?x=1&amp;y=2" style="color:red"><span>Connect</span> now</a><a href="https://app.example/help">help</a>',
  text: "Hello https://app.example/p/i/tok?x=1&y=2",
};

describe("sending through the real resend SDK", () => {
  it("uses RESEND_BASE_URL and stores the email with its links", async () => {
    expect(resend.baseUrl).toBe(sink.url);
    const sent = await resend.emails.send({
      ...invitation,
      tags: [{ name: "kind", value: "invitation" }],
    });
    expect(sent.error).toBeNull();
    const id = sent.data?.id;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const [message] = await client.messages({ to: "OWNER@building.example" });
    expect(message).toMatchObject({
      id,
      from: invitation.from,
      to: ["owner@building.example"],
      subject: invitation.subject,
      text: invitation.text,
      tags: [{ name: "kind", value: "invitation" }],
      idempotencyKey: null,
    });
    expect(await client.links(id ?? "")).toEqual([
      { href: "https://app.example/p/i/tok?x=1&y=2", text: "Connect now" },
      { href: "https://app.example/help", text: "help" },
    ]);
    expect(await client.messages({ to: "someone-else@building.example" })).toEqual([]);

    const fetched = await resend.emails.get(id ?? "");
    expect(fetched.data).toMatchObject({ id, subject: invitation.subject, to: [invitation.to] });
  });

  it("serves a message it took in through the SDK's receiving API, as Resend's inbound emails", async () => {
    const sent = await resend.emails.send({
      from: "Alice <alice@example.com>",
      to: "c-0123456789ab@inbound.meterlink.test",
      subject: "Fwd: your code",
      text: "Your Lakeside code",
    });
    const received = await resend.emails.receiving.get(sent.data?.id ?? "");
    expect(received.data).toMatchObject({
      object: "email",
      id: sent.data?.id,
      received_for: ["c-0123456789ab@inbound.meterlink.test"],
      subject: "Fwd: your code",
      text: "Your Lakeside code",
    });
    const missing = await resend.emails.receiving.get("00000000-0000-0000-0000-000000000000");
    expect(missing.error).toMatchObject({ statusCode: 404, name: "not_found" });
  });

  it("lists newest first", async () => {
    await resend.emails.send({ ...invitation, subject: "first" });
    await resend.emails.send({ ...invitation, subject: "second" });
    const subjects = (await client.messages()).map((message) => message.subject);
    expect(subjects).toEqual(["second", "first"]);
  });

  it("answers a repeated idempotency key with the same id and no second message", async () => {
    const first = await resend.emails.send(invitation, { idempotencyKey: "invitation-1/sent" });
    const again = await resend.emails.send(invitation, { idempotencyKey: "invitation-1/sent" });
    expect(first.data?.id).toBeDefined();
    expect(again.data?.id).toBe(first.data?.id);
    expect(await client.messages()).toHaveLength(1);

    const changed = await resend.emails.send(
      { ...invitation, subject: "different" },
      { idempotencyKey: "invitation-1/sent" },
    );
    expect(changed.data).toBeNull();
    expect(changed.error).toMatchObject({ statusCode: 409, name: "invalid_idempotent_request" });
    expect(await client.messages()).toHaveLength(1);

    const tooLong = await resend.emails.send(invitation, { idempotencyKey: "k".repeat(257) });
    expect(tooLong.error).toMatchObject({ statusCode: 400, name: "invalid_idempotency_key" });
  });

  it("sends a batch, idempotently", async () => {
    const batch = [
      { ...invitation, to: "a@building.example" },
      { ...invitation, to: ["b@building.example", "c@building.example"] },
    ];
    const sent = await resend.batch.send(batch, { idempotencyKey: "batch-1" });
    expect(sent.error).toBeNull();
    expect(sent.data?.data).toHaveLength(2);
    const again = await resend.batch.send(batch, { idempotencyKey: "batch-1" });
    expect(again.data?.data).toEqual(sent.data?.data);
    expect(await client.messages()).toHaveLength(2);
    expect(await client.messages({ to: "c@building.example" })).toHaveLength(1);
  });

  it("refuses a whole strict batch with one bad address", async () => {
    const sent = await resend.batch.send([invitation, { ...invitation, to: "not an address" }]);
    expect(sent.error).toMatchObject({ statusCode: 422, name: "validation_error" });
    expect(await client.messages()).toEqual([]);
  });

  it("answers armed 429 and 500 faults, then sends", async () => {
    await client.fault({ status: 429, count: 2, retryAfterSeconds: 3 });
    const limited = await resend.emails.send(invitation, { idempotencyKey: "retry-me" });
    expect(limited.error).toMatchObject({ statusCode: 429, name: "rate_limit_exceeded" });
    expect(limited.headers?.["retry-after"]).toBe("3");
    expect(
      (await resend.emails.send(invitation, { idempotencyKey: "retry-me" })).error?.statusCode,
    ).toBe(429);

    await client.fault({ status: 500, count: 1 });
    const failed = await resend.emails.send(invitation, { idempotencyKey: "retry-me" });
    expect(failed.error).toMatchObject({ statusCode: 500, name: "internal_server_error" });

    const sent = await resend.emails.send(invitation, { idempotencyKey: "retry-me" });
    expect(sent.error).toBeNull();
    expect(await client.messages()).toHaveLength(1);
  });

  it("refuses malformed addresses and missing fields like Resend", async () => {
    const badTo = await resend.emails.send({ ...invitation, to: ["ok@building.example", "nope@"] });
    expect(badTo.error).toMatchObject({ statusCode: 422, name: "validation_error" });
    expect(badTo.error?.message).toContain("`to`");

    const badFrom = await resend.emails.send({ ...invitation, from: "Acme <acme>" });
    expect(badFrom.error).toMatchObject({ statusCode: 422, name: "validation_error" });
    expect(badFrom.error?.message).toContain("`from`");

    const noBody = await resend.emails.send({
      from: invitation.from,
      to: invitation.to,
      subject: "x",
      text: undefined as unknown as string,
    });
    expect(noBody.error).toMatchObject({ statusCode: 422, name: "missing_required_field" });
    expect(await client.messages()).toEqual([]);
  });

  it("requires a bearer API key", async () => {
    const response = await fetch(`${sink.url}/emails`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(invitation),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ name: "missing_api_key", statusCode: 401 });
  });
});

describe("inbox page", () => {
  it("lists messages and shows the selected one in a sandboxed iframe", async () => {
    const sent = await resend.emails.send({ ...invitation, subject: "<b>Hi</b> & welcome" });
    const response = await fetch(`${sink.url}/?id=${sent.data?.id}`);
    expect(response.headers.get("content-type")).toContain("text/html");
    const page = await response.text();
    expect(page).toContain("&lt;b&gt;Hi&lt;/b&gt; &amp; welcome");
    expect(page).not.toContain("<b>Hi</b>");
    expect(page).toMatch(
      /<iframe[^>]*sandbox="allow-popups allow-popups-to-escape-sandbox"[^>]*srcdoc="/,
    );
    expect(page).toContain("https://app.example/p/i/tok?x=1&amp;y=2");
  });

  it("never renders a script link as a link, however it is spelled", async () => {
    const sent = await resend.emails.send({
      ...invitation,
      html: '<a href="javascript:alert(document.domain)">a</a><a href=" JaVa&#x09;Script:alert(1)">b</a><a href="data:text/html,<script>alert(1)</script>">c</a><a href="https://app.example/ok">ok</a>',
    });
    const page = await (await fetch(`${sink.url}/?id=${sent.data?.id}`)).text();
    const hrefs = [...page.matchAll(/<a [^>]*href="([^"]*)"/g)].map((match) => match[1]);
    expect(hrefs).toContain("https://app.example/ok");
    expect(hrefs.filter((href) => !href?.startsWith("/"))).toEqual(["https://app.example/ok"]);
    // Still listed, as text, so a developer sees what the email contained.
    expect(page).toContain("javascript:alert(document.domain)");
  });
});

describe("capacity", () => {
  it("keeps only the newest messages", async () => {
    const small = await startMailSink({ capacity: 2 });
    try {
      const smallResend = new Resend("re_test_key", { baseUrl: small.url });
      for (const subject of ["1", "2", "3"]) {
        await smallResend.emails.send({ ...invitation, subject });
      }
      const subjects = (await createMailSinkClient(small.url).messages()).map((m) => m.subject);
      expect(subjects).toEqual(["3", "2"]);
    } finally {
      await small.close();
    }
  });
});
