import { commands } from "./registry.js";
import { errorMessage } from "../util/errors.js";

const COMMAND_WORDS = new Set(commands.map((c) => c.name));

/** A `netcheck …` command line quoted in a fix text, or a bare mention that is not quoted (itself a fault). */
export interface QuotedCommand {
  text: string;
  quoted: boolean;
}

/**
 * Every netcheck command a text tells the user to run. Commands are written in
 * backticks (`netcheck run ipvlan --lab vm`); a `netcheck <command>` outside
 * backticks is returned unquoted so a test can refuse it: the user cannot tell
 * where such a command ends.
 */
export function netcheckCommandsIn(text: string): QuotedCommand[] {
  const out: QuotedCommand[] = [];
  const quotedSpans: [number, number][] = [];
  for (const m of text.matchAll(/`((?:npx )?netcheck(?: [^`]*)?)`/g)) {
    out.push({ text: m[1]!, quoted: true });
    quotedSpans.push([m.index!, m.index! + m[0].length]);
  }
  for (const m of text.matchAll(/\bnetcheck (\S+)/g)) {
    const word = m[1]!.replace(/[^\w-]+$/, "");
    if (!COMMAND_WORDS.has(word)) continue;
    if (quotedSpans.some(([a, b]) => m.index! >= a && m.index! < b)) continue;
    out.push({ text: m[0], quoted: false });
  }
  return out;
}

/** undefined when the command line parses as the CLI would parse it; else why not. */
export async function commandLineProblem(line: string): Promise<string | undefined> {
  const words = line.trim().split(/\s+/);
  if (words[0] === "npx") words.shift();
  if (words.shift() !== "netcheck") return `not a netcheck command: ${line}`;
  const [name, ...args] = words;
  if (name === undefined || name === "--help" || name === "--version") return undefined;
  const entry = commands.find((c) => c.name === name);
  if (!entry) return `unknown command "${name}" in \`${line}\``;
  if (args.includes("--help") || args.includes("-h")) return undefined;
  const command = await entry.load();
  if (!command.check) return `netcheck ${name} cannot check its arguments without running (add check() to it)`;
  try {
    await command.check(args);
    return undefined;
  } catch (err) {
    return `\`${line}\`: ${errorMessage(err)}`;
  }
}

/** Every problem with the netcheck commands in findings' fix texts and titles: unquoted, or not parsing. */
export async function fixCommandProblems(findings: readonly { id: string; title: string; fix?: string }[]): Promise<string[]> {
  const problems: string[] = [];
  for (const f of findings) {
    for (const text of [f.fix ?? "", f.title]) {
      for (const c of netcheckCommandsIn(text)) {
        if (!c.quoted) {
          problems.push(`${f.id}: "${c.text}…" is not in backticks`);
          continue;
        }
        const why = await commandLineProblem(c.text);
        if (why) problems.push(`${f.id}: ${why}`);
      }
    }
  }
  return problems;
}
