/** Packet captures where the evidence is: node namespaces (sidecars), lab host interfaces, the external host. */
export { startCapture, type CaptureEnv, type CaptureFile, type CaptureOptions, type CapturePoint, type StartedCapture } from "./capture.js";
export { captureDuring, type CaptureSpec } from "./flow-capture.js";
export { captureOnHost, type HostCapture } from "./host-capture.js";
export { startExternalHttp, ensureExternalListener, type ExternalHttpServer } from "../lab/external-http.js";
export { pcapArtifactsOf } from "./artifacts.js";
export { CaptureError, UnsafeCaptureError } from "./errors.js";
export { tcpdumpCommand, parseTcpdumpLog, type TcpdumpLog } from "./tcpdump.js";
