// HTTP load on loopback with autocannon: bounded by duration, one target URL per run.
import autocannon from "autocannon";

export type THttpRun = {
  okPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
};

export async function load(options: {
  url: string;
  seconds: number;
  connections: number;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Fixed total request rate (req/s); unset = as fast as the server answers. */
  rate?: number;
}): Promise<THttpRun> {
  const result = await autocannon({
    url: options.url,
    duration: options.seconds,
    connections: options.connections,
    method: options.method ?? "GET",
    headers: options.headers,
    body: options.body,
    ...(options.rate ? { overallRate: options.rate } : {}),
  });
  return {
    okPerSecond: result["2xx"] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
