import type { Explanation } from "./facts.js";

const HEAD: Record<Explanation["kind"], string> = {
  delivered: "delivered",
  cause: "cause",
  likely: "likely cause",
  inconclusive: "inconclusive",
};

/** Terminal text: the verdict line, then the evidence indented. */
export function renderExplanation(e: Explanation, title?: string): string {
  const lines = [...(title ? [title] : []), `${HEAD[e.kind]}: ${e.summary}`, ...(e.fix ? [`fix: ${e.fix}`] : []), ...e.evidence.map((l) => `  ${l}`)];
  return lines.join("\n");
}

/** The suffix a failed check's reason gets, e.g. " — likely cause: dropped by FORWARD rule 1…". */
export function reasonSuffix(e: Explanation): string {
  if (e.kind === "delivered") return ` — why it got through: ${e.summary}`;
  return ` — ${e.kind === "inconclusive" ? "explain" : HEAD[e.kind]}: ${e.summary}`;
}
