export * from "./auth";
export * from "./company";
export * from "./connection";
export * from "./provider";
export * from "./site";
