// Test instrumentation for deploy/cluster.int.test.ts, loaded with `node --import`: appends
// every outgoing TCP connection this process opens ({from, host, port}, one JSON line) to
// NET_TRACE_FILE, so the test can check each against the NetworkPolicies. Plain JS so it
// loads before tsx. Records addresses only, never data.
import { appendFileSync } from "node:fs";
import net from "node:net";

const file = process.env.NET_TRACE_FILE;
const from = process.env.NET_TRACE_FROM;
if (file && from) {
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (...args) {
    // net.connect() passes its normalized [options, callback] array as the first argument.
    const first = Array.isArray(args[0]) ? args[0][0] : args[0];
    const options = typeof first === "object" && first !== null ? first : null;
    const port = options ? options.port : first;
    const host = options ? options.host : typeof args[1] === "string" ? args[1] : undefined;
    if (port !== undefined && !options?.path)
      appendFileSync(
        file,
        `${JSON.stringify({ from, host: host ?? "localhost", port: Number(port) })}\n`,
      );
    return connect.apply(this, args);
  };
}
