/** `CONFIG_X=y|m|value` and `# CONFIG_X is not set` lines → map (not-set options map to "n"). */
export function parseKernelConfig(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const set = /^(CONFIG_\w+)=(.*)$/.exec(line.trim());
    if (set) out.set(set[1]!, set[2]!.replace(/^"|"$/g, ""));
    const unset = /^#\s*(CONFIG_\w+) is not set/.exec(line.trim());
    if (unset) out.set(unset[1]!, "n");
  }
  return out;
}
