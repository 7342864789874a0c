export interface EngineEndpoint {
  /** What we show the user: unix:///var/run/docker.sock, tcp://10.0.0.2:2375 */
  display: string;
  socketPath?: string;
  host?: string;
  port?: number;
  protocol?: "http" | "https";
}

/** DOCKER_HOST if set, else the default socket. */
export function resolveEndpoint(dockerHost = process.env.DOCKER_HOST): EngineEndpoint {
  if (!dockerHost) return { display: "unix:///var/run/docker.sock", socketPath: "/var/run/docker.sock" };
  if (dockerHost.startsWith("unix://")) return { display: dockerHost, socketPath: dockerHost.slice("unix://".length) };
  const m = /^(tcp|http|https):\/\/([^:/]+)(?::(\d+))?/.exec(dockerHost);
  if (m) {
    const tls = m[1] === "https" || process.env.DOCKER_TLS_VERIFY === "1";
    return { display: dockerHost, host: m[2], port: m[3] ? Number(m[3]) : tls ? 2376 : 2375, protocol: tls ? "https" : "http" };
  }
  return { display: dockerHost, socketPath: dockerHost };
}
