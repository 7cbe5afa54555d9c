import { describe, expect, it } from "vitest";
import type { Me } from "../api/types";
import {
  type AuditEntry,
  type AuditResult,
  EMPTY_FORM,
  canAudit,
  dayStart,
  fileNameOf,
  formProblem,
  resourceLabel,
  searchBody,
  withReview,
} from "./audit";

function entry(seq: number, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    seq,
    at: "2026-12-03T10:00:00Z",
    actor_user_id: "u1",
    actor_name: "frontdesk",
    action: "patient.read",
    outcome: "ok",
    resource_type: "patient",
    resource_id: "p1",
    patient_id: "p1",
    ip: "127.0.0.1",
    flagged: false,
    break_glass: false,
    details: {},
    review: null,
    ...extra,
  };
}

describe("the audit search body", () => {
  it("sends the patient's name and birth date together, trimmed, and nothing empty", () => {
    const body = searchBody({ ...EMPTY_FORM, familyName: "  Reyes ", dateOfBirth: "1958-11-23" });
    expect(body).toEqual({
      family_name: "Reyes",
      date_of_birth: "1958-11-23",
      flagged_only: false,
      limit: 50,
      offset: 0,
    });
    expect(searchBody(EMPTY_FORM, 100)).toEqual({ flagged_only: false, limit: 50, offset: 100 });
  });

  it("turns from/to days into instants, with 'to' including its whole day", () => {
    const body = searchBody({ ...EMPTY_FORM, fromDay: "2026-12-01", toDay: "2026-12-03", userId: "u9" });
    expect(body.user_id).toBe("u9");
    expect(body.since).toBe(new Date(2026, 11, 1).toISOString());
    expect(body.until).toBe(new Date(2026, 11, 4).toISOString());
    expect(dayStart("2026-12-31", 1)).toBe(new Date(2027, 0, 1).toISOString());
  });

  it("says what is missing before sending", () => {
    expect(formProblem(EMPTY_FORM)).toBeNull();
    expect(formProblem({ ...EMPTY_FORM, familyName: "Reyes" })).toBe("audit.needBirthDate");
    expect(formProblem({ ...EMPTY_FORM, dateOfBirth: "1958-11-23" })).toBe("audit.needFamilyName");
    expect(formProblem({ ...EMPTY_FORM, familyName: " ", dateOfBirth: "1958-11-23" })).toBe("audit.needFamilyName");
    expect(formProblem({ ...EMPTY_FORM, fromDay: "2026-12-03", toDay: "2026-12-01" })).toBe("audit.toBeforeFrom");
    expect(formProblem({ ...EMPTY_FORM, fromDay: "2026-12-03", toDay: "2026-12-03" })).toBeNull();
  });
});

describe("audit rows", () => {
  it("names the resource", () => {
    expect(resourceLabel(entry(1))).toBe("patient p1");
    expect(resourceLabel(entry(1, { resource_id: null }))).toBe("patient");
    expect(resourceLabel(entry(1, { resource_type: null }))).toBe("");
  });

  it("fills one entry's review mark in place", () => {
    const result: AuditResult = { items: [entry(2), entry(1)], total: 2, limit: 50, offset: 0, matched_patient_ids: null };
    const review = { seq: 1, reviewed_by: "a", reviewed_by_name: "auditor", reviewed_at: "2026-12-03T11:00:00Z" };
    const after = withReview(result, review);
    expect(after.items.map((e) => e.review)).toEqual([null, review]);
    expect(result.items[1]?.review).toBeNull(); // the old result is untouched
  });

  it("reads the export's file name", () => {
    expect(fileNameOf('attachment; filename="careline-audit-20261203.csv"')).toBe("careline-audit-20261203.csv");
    expect(fileNameOf(null)).toBe("careline-audit.csv");
  });

  it("shows the console only to those who read the log", () => {
    const me = (permissions: string[]) => ({ permissions }) as unknown as Me;
    expect(canAudit(me(["audit:read", "users:read"]))).toBe(true);
    expect(canAudit(me(["patients:read"]))).toBe(false);
  });
});
