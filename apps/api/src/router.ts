import { adminRouter } from "./routers/admin";
import { recipientRouter } from "./routers/recipient";
import { setupRouter } from "./routers/setup";
import { router } from "./trpc";

export const appRouter = router({
  admin: adminRouter,
  recipient: recipientRouter,
  setup: setupRouter,
});

export type AppRouter = typeof appRouter;
