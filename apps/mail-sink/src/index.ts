export { createMailSinkClient, type TMailSinkClient } from "./client";
export { extractLinks, type TEmailLink } from "./links";
export {
  createMailSinkApp,
  startMailSink,
  type TFaultRequest,
  type TMailSink,
  type TMailSinkOptions,
} from "./server";
export type { TSinkMessage } from "./store";
