import fastifyCookie from "@fastify/cookie";
import fastifyFormbody from "@fastify/formbody";
import Fastify, { type FastifyInstance } from "fastify";
import { PORTAL_IDS } from "./accounts";
import { PORTALS } from "./portals";
import { registerBench } from "./routes/bench";
import { registerControl } from "./routes/control";
import { registerHome } from "./routes/home";
import { registerPortal } from "./routes/portal";
import { RulelessState, registerRulelessPortals } from "./ruleless";
import { SandboxState } from "./state";

// One Fastify server for every fake utility, each under its own path prefix. State is in
// memory and per server, so parallel test files each start their own sandbox on port 0.
// Fastify's logger stays off: request logs would carry typed passwords and codes.

export type TSandboxOptions = {
  port?: number;
  host?: string;
  /** Mount /_control/*. Off by default: it exposes typed passwords and one-time codes. */
  control?: boolean;
  /** Clock in epoch milliseconds; tests inject one to move past lockouts and code expiry. */
  now?: () => number;
};

export type TSandbox = { url: string; port: number; close(): Promise<void> };

export function buildSandbox(options: Pick<TSandboxOptions, "control" | "now"> = {}): {
  app: FastifyInstance;
  state: SandboxState;
} {
  const state = new SandboxState(options.now);
  const app = Fastify({ logger: false });
  void app.register(fastifyCookie);
  void app.register(fastifyFormbody);
  app.after(() => {
    registerHome(app);
    for (const id of PORTAL_IDS) registerPortal(app, PORTALS[id], state);
    registerRulelessPortals(app, new RulelessState(), { control: Boolean(options.control) });
    registerBench(app);
    if (options.control) registerControl(app, state);
  });
  return { app, state };
}

export async function startSandbox(options: TSandboxOptions = {}): Promise<TSandbox> {
  const host = options.host ?? "127.0.0.1";
  const { app } = buildSandbox(options);
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : (options.port ?? 0);
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: async () => {
      await app.close();
    },
  };
}
