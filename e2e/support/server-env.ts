/** How the global setup hands the running server to the tests (environment variables reach the workers). */
export const ENV = {
  /** `http://127.0.0.1:<port>/#token=<token>`: the URL web mode printed. */
  url: 'KALAM_E2E_URL',
  /** The temporary directory holding the data directory, the server log and server.json. */
  tempDir: 'KALAM_E2E_TEMP_DIR',
  pid: 'KALAM_E2E_SERVER_PID',
  /** audit_id of the last seeded audit entry. */
  lastSeededAuditId: 'KALAM_E2E_LAST_AUDIT_ID',
} as const;

export interface ServerInfo {
  /** The launch URL, its token in the fragment: the page keeps it in its tab's sessionStorage. */
  readonly url: string;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly lastSeededAuditId: number;
}

export function serverInfo(): ServerInfo {
  const url = process.env[ENV.url];
  if (!url) throw new Error(`${ENV.url} is not set: run the tests through playwright.config.ts (its global setup starts the server).`);
  return { url, origin: new URL(url).origin, lastSeededAuditId: Number(process.env[ENV.lastSeededAuditId] ?? 0) };
}
