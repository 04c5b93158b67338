import { adminRouter } from "./routers/admin";
import { recipientRouter } from "./routers/recipient";
import { router } from "./trpc";

export const appRouter = router({
  admin: adminRouter,
  recipient: recipientRouter,
});

export type AppRouter = typeof appRouter;
