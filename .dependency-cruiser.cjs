/**
 * Module boundaries (../shared/STYLE.md): dependencies point one way,
 * cli → run/doctor → scenario → lab/probes/capture → engine → host → util.
 * Pure layers (pcap, report, assert, probe parsers) never reach Docker.
 * Checked by test/unit/dependencies.test.ts on every test run.
 */
const layer = (name) => `^src/${name}/`;
module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", from: { path: "^src/" }, to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } } },
    { name: "only-cli-imports-cli", severity: "error", from: { pathNot: layer("cli") }, to: { path: layer("cli") } },
    { name: "util-depends-on-nothing", severity: "error", from: { path: layer("util") }, to: { path: "^src/", pathNot: layer("util") } },
    { name: "host-below-engine", severity: "error", from: { path: layer("host") }, to: { path: "^src/", pathNot: [layer("host"), layer("util")] } },
    { name: "engine-below-lab", severity: "error", from: { path: layer("engine") }, to: { path: "^src/", pathNot: [layer("engine"), layer("host"), layer("util")] } },
    { name: "only-engine-imports-dockerode", severity: "error", from: { pathNot: layer("engine") }, to: { path: "node_modules/dockerode" } },
    { name: "pcap-is-pure", severity: "error", from: { path: layer("pcap") }, to: { path: "^src/", pathNot: [layer("pcap"), layer("util")] } },
    { name: "report-is-pure", severity: "error", from: { path: layer("report") }, to: { path: "^src/", pathNot: [layer("report"), layer("util"), layer("pcap")] } },
    { name: "probes-never-reach-docker", severity: "error", from: { path: layer("probes") }, to: { path: [layer("engine"), layer("lab"), layer("scenario"), layer("capture")] } },
    { name: "assert-never-reaches-docker", severity: "error", from: { path: layer("assert") }, to: { path: [layer("engine"), layer("lab"), layer("scenario"), layer("capture"), layer("host") + "(?!host\\.ts)"] } },
    { name: "explain-is-pure", severity: "error", from: { path: layer("explain") }, to: { path: [layer("engine"), layer("lab"), layer("scenario"), layer("capture"), layer("doctor"), layer("host") + "(?!host\\.ts)"] } },
    { name: "lab-below-scenario", severity: "error", from: { path: layer("lab") }, to: { path: [layer("scenario"), layer("doctor"), layer("report") + "(?!model\\.ts)", layer("setup")] } },
    { name: "capture-below-scenario", severity: "error", from: { path: layer("capture") }, to: { path: [layer("scenario"), layer("doctor"), layer("setup")] } },
    { name: "scenario-below-doctor", severity: "error", from: { path: layer("scenario") }, to: { path: [layer("doctor"), layer("setup")] } },
    { name: "setup-below-doctor-and-run", severity: "error", from: { path: layer("setup") }, to: { path: [layer("scenario"), layer("doctor"), layer("lab"), layer("report")] } },
    { name: "doctor-is-not-run", severity: "error", from: { path: layer("doctor") }, to: { path: [layer("scenario")] } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "\\.test\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"], extensions: [".ts", ".js"] },
  },
};
