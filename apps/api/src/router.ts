import { adminRouter } from "./routers/admin";
import { handoffRouter } from "./routers/handoff";
import { recipientRouter } from "./routers/recipient";
import { setupRouter } from "./routers/setup";
import { router } from "./trpc";

export const appRouter = router({
  admin: adminRouter,
  recipient: recipientRouter,
  handoff: handoffRouter,
  setup: setupRouter,
});

export type AppRouter = typeof appRouter;
