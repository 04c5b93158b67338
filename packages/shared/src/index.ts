export * from "./env";
export * from "./errors";
export * from "./invitation";
export * from "./invitation-status";
export * from "./provider-catalog";
export * from "./setup";
export * from "./site";
export * from "./team";
