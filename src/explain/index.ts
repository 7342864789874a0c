export * from "./counters.js";
export * from "./explain.js";
export * from "./facts.js";
export * from "./flow.js";
export * from "./render.js";
export * from "./route.js";
export * from "./rule-match.js";
export * from "./conntrack-flow.js";
