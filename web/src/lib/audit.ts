// The auditor's console: the search form turned into the API's POST body, and the rows' words.
import type { components } from "../api/schema";
import type { Me } from "../api/types";

type S = components["schemas"];
export type AuditSearchBody = S["AuditSearchRequest"];
export type AuditEntry = S["ConsoleEntry"];
export type AuditResult = S["ConsoleResult"];
export type AuditReview = S["ReviewView"];
export type ChainStatus = S["ChainStatus"];

/** What the auditor typed, as the form holds it (empty strings for "not given"). */
export interface AuditForm {
  familyName: string;
  dateOfBirth: string; // YYYY-MM-DD
  userId: string;
  fromDay: string; // YYYY-MM-DD, the browser's day
  toDay: string; // YYYY-MM-DD, inclusive
  flaggedOnly: boolean;
}

export const EMPTY_FORM: AuditForm = {
  familyName: "",
  dateOfBirth: "",
  userId: "",
  fromDay: "",
  toDay: "",
  flaggedOnly: false,
};

export const PAGE_SIZE = 50;

/** Only auditors (and admins) read the log: the API's audit:read permission. */
export function canAudit(me: Me): boolean {
  return me.permissions.includes("audit:read");
}

/** Midnight starting a YYYY-MM-DD day in the browser's time zone, as an instant. */
export function dayStart(day: string, plusDays = 0): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y ?? 0, (m ?? 1) - 1, (d ?? 1) + plusDays).toISOString();
}

/** Why the form cannot be sent yet (an i18n key), or null. The patient's family name and
 * date of birth go together (the blind index covers the pair); "to" is not before "from". */
export function formProblem(form: AuditForm): string | null {
  const name = form.familyName.trim() !== "";
  const birth = form.dateOfBirth !== "";
  if (name && !birth) return "audit.needBirthDate";
  if (birth && !name) return "audit.needFamilyName";
  if (form.fromDay && form.toDay && form.toDay < form.fromDay) return "audit.toBeforeFrom";
  return null;
}

/** The POST body (never a URL: the name and date of birth are PHI). "To" includes its day. */
export function searchBody(form: AuditForm, offset = 0): AuditSearchBody {
  const body: AuditSearchBody = { flagged_only: form.flaggedOnly, limit: PAGE_SIZE, offset };
  if (form.familyName.trim() && form.dateOfBirth) {
    body.family_name = form.familyName.trim();
    body.date_of_birth = form.dateOfBirth;
  }
  if (form.userId) body.user_id = form.userId;
  if (form.fromDay) body.since = dayStart(form.fromDay);
  if (form.toDay) body.until = dayStart(form.toDay, 1);
  return body;
}

/** "What" in a row: the resource's kind and id, when the entry names one. */
export function resourceLabel(entry: AuditEntry): string {
  if (!entry.resource_type) return "";
  return entry.resource_id ? `${entry.resource_type} ${entry.resource_id}` : entry.resource_type;
}

/** The search's results with one entry's review mark filled in (no second, audited search). */
export function withReview(result: AuditResult, review: AuditReview): AuditResult {
  return {
    ...result,
    items: result.items.map((e) => (e.seq === review.seq ? { ...e, review } : e)),
  };
}

/** The file name from a Content-Disposition header, or a fallback. */
export function fileNameOf(disposition: string | null, fallback = "careline-audit.csv"): string {
  const match = disposition ? /filename="([^"]+)"/.exec(disposition) : null;
  return match?.[1] ?? fallback;
}
