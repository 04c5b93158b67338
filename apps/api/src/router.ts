import { adminRouter } from "./routers/admin";
import { handoffRouter } from "./routers/handoff";
import { recipientRouter } from "./routers/recipient";
import { setupRouter } from "./routers/setup";
import { teamRouter } from "./routers/team";
import { router } from "./trpc";

export const appRouter = router({
  admin: adminRouter,
  recipient: recipientRouter,
  handoff: handoffRouter,
  setup: setupRouter,
  team: teamRouter,
});

export type AppRouter = typeof appRouter;
