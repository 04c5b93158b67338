// First: configures zod before any module parses with it.
import "./lib/zod-jitless";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode, useState } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
import { ToastProvider } from "./components/Toast";
import { createClient, TRPCProvider } from "./lib/trpc";
import { router } from "./routes";
import "./styles.css";

function Root() {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { staleTime: 15_000, retry: 1, refetchOnWindowFocus: false } },
      }),
  );
  const [trpcClient] = useState(createClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <ToastProvider>
          <RouterProvider router={router} />
        </ToastProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}

const element = document.getElementById("root");
if (!element) throw new Error("index.html has no #root element");
createRoot(element).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
