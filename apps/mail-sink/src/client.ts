// A small typed client of the sink's JSON API for tests in any workspace (API integration
// tests, e2e): read what was "sent", follow its links, arm faults.

import type { TEmailLink } from "./links";
import type { TFaultRequest } from "./server";
import type { TSinkMessage } from "./store";

export type TMailSinkClient = {
  messages(filter?: { to?: string }): Promise<TSinkMessage[]>;
  message(id: string): Promise<TSinkMessage | null>;
  links(id: string): Promise<TEmailLink[]>;
  /** Polls until a message to `to` arrives (newest first), or throws after `timeoutMs`. */
  waitForMessage(options: {
    to: string;
    timeoutMs?: number;
    where?: (message: TSinkMessage) => boolean;
  }): Promise<TSinkMessage>;
  clear(): Promise<void>;
  fault(fault: TFaultRequest): Promise<void>;
  clearFaults(): Promise<void>;
};

export function createMailSinkClient(baseUrl: string): TMailSinkClient {
  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok && response.status !== 404) {
      throw new Error(`mail-sink ${method} ${path} answered ${response.status}`);
    }
    return response;
  }

  const client: TMailSinkClient = {
    async messages(filter = {}) {
      const query = filter.to === undefined ? "" : `?to=${encodeURIComponent(filter.to)}`;
      const response = await call("GET", `/api/messages${query}`);
      return ((await response.json()) as { data: TSinkMessage[] }).data;
    },
    async message(id) {
      const response = await call("GET", `/api/messages/${encodeURIComponent(id)}`);
      return response.status === 404 ? null : ((await response.json()) as TSinkMessage);
    },
    async links(id) {
      const response = await call("GET", `/api/messages/${encodeURIComponent(id)}/links`);
      if (response.status === 404) throw new Error(`mail-sink: no message ${id}`);
      return ((await response.json()) as { data: TEmailLink[] }).data;
    },
    async waitForMessage({ to, timeoutMs = 5000, where = () => true }) {
      const deadline = Date.now() + timeoutMs;
      while (true) {
        const found = (await client.messages({ to })).find(where);
        if (found !== undefined) return found;
        if (Date.now() >= deadline) {
          throw new Error(`mail-sink: no message to ${to} within ${timeoutMs} ms`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async clear() {
      await call("DELETE", "/api/messages");
    },
    async fault(fault) {
      await call("POST", "/api/faults", fault);
    },
    async clearFaults() {
      await call("DELETE", "/api/faults");
    },
  };
  return client;
}
