import { adminRouter } from "./routers/admin";
import { router } from "./trpc";

export const appRouter = router({
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
