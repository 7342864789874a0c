export { runDoctor, doctorExitCode, countFindings, DOCTOR_SCHEMA_VERSION, type DoctorOptions, type DoctorReport, type DoctorTotals } from "./run-doctor.js";
export { renderDoctorText } from "./render-text.js";
export { applyFixes, type FixOutcome } from "./apply-fixes.js";
export { probeKernelFeature, probeKernelFeatures, KERNEL_FEATURES, type KernelFeature, type KernelFeatureResult } from "../lab/kernel-features.js";
export { ALL_CHECKS } from "./checks/index.js";
export type { Finding, FindingStatus, FindingEvidence, FixAction, DoctorArea, DoctorCheck, DoctorContext } from "./types.js";
