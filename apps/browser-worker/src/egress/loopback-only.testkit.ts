// Test-only safety net: while installed, any `net.connect` to a non-loopback host fails
// locally instead of leaving the machine, and is recorded. The egress tests assert the
// record stays empty, so a regressed guard fails the tests without ever sending a packet
// to a metadata or public address. (The proxy dials only through `net.connect`.)

import net from "node:net";
import { vi } from "vitest";

function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function installLoopbackOnly(): { blocked: string[]; dialled: string[]; restore(): void } {
  const original = net.connect;
  const blocked: string[] = [];
  const dialled: string[] = [];
  const fake = (...args: unknown[]) => {
    const first = args[0];
    const host =
      typeof first === "object" && first !== null && "host" in first
        ? String(first.host)
        : typeof args[1] === "string"
          ? args[1]
          : "localhost";
    dialled.push(host);
    if (!isLoopbackHost(host)) {
      blocked.push(host);
      const socket = new net.Socket();
      process.nextTick(() => socket.destroy(new Error("blocked by loopback-only test guard")));
      return socket;
    }
    return (original as (...a: unknown[]) => net.Socket)(...args);
  };
  const spy = vi.spyOn(net, "connect").mockImplementation(fake as typeof net.connect);
  return { blocked, dialled, restore: () => spy.mockRestore() };
}
