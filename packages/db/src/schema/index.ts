export * from "./auth";
export * from "./company";
export * from "./connection";
export * from "./email";
export * from "./invitation";
export * from "./login-session";
export * from "./provider";
export * from "./site";
