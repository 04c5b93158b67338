import type { AppRouter } from "@meterlink/api/router";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import type { inferRouterOutputs } from "@trpc/server";
import { createTRPCContext } from "@trpc/tanstack-react-query";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function createClient() {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: "/trpc",
        fetch: (url, init) => fetch(url, { ...init, credentials: "include" }),
      }),
    ],
  });
}

export type TRouterOutputs = inferRouterOutputs<AppRouter>;

export function isUnauthorized(error: unknown): boolean {
  return error instanceof TRPCClientError && error.data?.httpStatus === 401;
}

/** The message a person should read for a failed call; the API never leaks internals. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) return error.message;
  return "We could not reach Meterlink. Check your connection and try again.";
}
