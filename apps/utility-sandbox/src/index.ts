export * from "./accounts";
export * from "./catalog";
export { startSandbox, type TSandbox, type TSandboxOptions } from "./server";
