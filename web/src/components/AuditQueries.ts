// The auditor's console's calls: search, review, verify (JSON through `api`), and the CSV
// export (a file, so fetched here and handed to the browser as a download).
import { ApiError, NetworkError, api } from "../api/client";
import type { Page, UserView } from "../api/types";
import {
  type AuditResult,
  type AuditReview,
  type AuditSearchBody,
  type ChainStatus,
  fileNameOf,
} from "../lib/audit";

export function searchAudit(body: AuditSearchBody): Promise<AuditResult> {
  return api<AuditResult>("POST", "/api/v1/audit/search", { body });
}

export function reviewEntry(seq: number): Promise<AuditReview> {
  return api<AuditReview>("POST", `/api/v1/audit/${String(seq)}/review`);
}

export function verifyChain(): Promise<ChainStatus> {
  return api<ChainStatus>("GET", "/api/v1/audit/verify");
}

export function listUsers(): Promise<Page<UserView>> {
  return api<Page<UserView>>("GET", "/api/v1/users", { query: { limit: 200 } });
}

/** POST the search to the CSV route and save the answer as a file. */
export async function exportCsv(body: AuditSearchBody): Promise<void> {
  let response: Response;
  try {
    response = await fetch("/api/v1/audit/search.csv", {
      method: "POST",
      headers: { Accept: "text/csv", "Content-Type": "application/json" },
      credentials: "same-origin",
      cache: "no-store",
      body: JSON.stringify(body),
    });
  } catch {
    throw new NetworkError();
  }
  if (!response.ok) {
    const problem: unknown = await response.json().catch(() => ({}));
    throw new ApiError(response.status, typeof problem === "object" && problem !== null ? problem : {}, null);
  }
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileNameOf(response.headers.get("Content-Disposition"));
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => { URL.revokeObjectURL(url); }, 10_000);
}
