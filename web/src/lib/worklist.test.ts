import { describe, expect, it } from "vitest";
import type { TaskView } from "../api/types";
import en from "../i18n/en.json";
import es from "../i18n/es.json";
import { dueClock, dueText, holderOf, isOverdue, isRed, matchesFilter, needsAttach, sortTasks, summarize } from "./worklist";

const NOW = new Date("2026-12-03T15:00:00Z");

function task(id: string, over: Partial<TaskView> = {}): TaskView {
  return {
    id,
    kind: "no_answer",
    urgency: "routine",
    patient_id: `p-${id}`,
    appointment_id: null,
    location_id: "loc",
    interaction_id: null,
    status: "open",
    created_at: "2026-12-03T14:00:00Z",
    done_at: null,
    candidates: [],
    due_at: "2026-12-03T22:00:00Z",
    claimed_by_user_id: null,
    claimed_by_name: null,
    ...over,
  };
}

describe("worklist order", () => {
  it("puts emergencies, then urgent, then routine first, the soonest due first within each", () => {
    const items = [
      task("routine-late", { due_at: "2026-12-03T23:00:00Z" }),
      task("routine-soon", { due_at: "2026-12-03T16:00:00Z" }),
      task("urgent", { urgency: "urgent", due_at: "2026-12-04T09:00:00Z" }),
      task("emergency", { urgency: "emergency", due_at: "2026-12-04T09:00:00Z" }),
      task("old-no-due", { due_at: null, created_at: "2026-12-03T08:00:00Z" }),
    ];
    expect(sortTasks(items).map((t) => t.id)).toEqual([
      "emergency",
      "urgent",
      "old-no-due",
      "routine-soon",
      "routine-late",
    ]);
  });

  it("shows urgent and emergency in red, routine not", () => {
    expect(isRed(task("a", { urgency: "emergency" }))).toBe(true);
    expect(isRed(task("a", { urgency: "urgent" }))).toBe(true);
    expect(isRed(task("a"))).toBe(false);
  });
});

describe("overdue and due text", () => {
  it("is overdue only when open and past its due time", () => {
    expect(isOverdue(task("a", { due_at: "2026-12-03T14:48:00Z" }), NOW)).toBe(true);
    expect(isOverdue(task("a", { due_at: "2026-12-03T14:48:00Z", status: "done" }), NOW)).toBe(false);
    expect(isOverdue(task("a", { due_at: "2026-12-03T15:10:00Z" }), NOW)).toBe(false);
  });

  it("reads as overdue minutes, due now, in minutes, or a time", () => {
    expect(dueText(task("a", { due_at: "2026-12-03T14:48:00Z" }), NOW)).toEqual({ key: "overdue", minutes: 12 });
    expect(dueText(task("a", { due_at: "2026-12-03T15:00:00Z" }), NOW).key).toBe("now");
    expect(dueText(task("a", { due_at: "2026-12-03T15:09:00Z" }), NOW)).toEqual({ key: "inMinutes", minutes: 9 });
    expect(dueText(task("a", { due_at: "2026-12-03T19:00:00Z" }), NOW).key).toBe("at");
  });
});

describe("claims and views", () => {
  const mine = task("m", { claimed_by_user_id: "me", claimed_by_name: "Me" });
  const theirs = task("t", { claimed_by_user_id: "ana", claimed_by_name: "Ana" });
  const free = task("f");

  it("tells my claim from a colleague's", () => {
    expect([mine, theirs, free].map((t) => holderOf(t, "me"))).toEqual(["me", "colleague", "nobody"]);
  });

  it("filters all open, mine and unclaimed", () => {
    const items = [mine, theirs, free];
    expect(items.filter((t) => matchesFilter(t, "all", "me")).length).toBe(3);
    expect(items.filter((t) => matchesFilter(t, "mine", "me")).map((t) => t.id)).toEqual(["m"]);
    expect(items.filter((t) => matchesFilter(t, "unclaimed", "me")).map((t) => t.id)).toEqual(["f"]);
  });

  it("summarises for Today", () => {
    const late = task("late", { due_at: "2026-12-03T14:00:00Z", urgency: "urgent" });
    expect(summarize([mine, theirs, free, late, task("d", { status: "done" })], "me", NOW)).toEqual({
      open: 4,
      overdue: 1,
      urgent: 1,
      mine: 1,
      unclaimed: 2,
    });
  });

  it("offers attach only for a which-patient task with candidates and an interaction", () => {
    const which = task("w", { kind: "which_patient", patient_id: null, interaction_id: "i", candidates: ["a", "b"] });
    expect(needsAttach(which)).toBe(true);
    expect(needsAttach({ ...which, interaction_id: null })).toBe(false);
    expect(needsAttach({ ...which, candidates: [] })).toBe(false);
    expect(needsAttach(task("n"))).toBe(false);
  });
});

describe("catalogs", () => {
  it("has every worklist string in English and Spanish", () => {
    const keys = (node: unknown, prefix = ""): string[] =>
      typeof node === "object" && node !== null
        ? Object.entries(node).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k))
        : [prefix];
    expect(keys(es.worklist).sort()).toEqual(keys(en.worklist).sort());
    expect(keys(en.worklist).length).toBeGreaterThan(20);
  });
});

describe("due clock", () => {
  it("drops the date for a time due today at the clinic", () => {
    const now = new Date("2026-12-03T15:00:00Z");
    expect(dueClock("2026-12-03T23:00:00Z", "America/Chicago", "en-US", now)).toBe("5:00 PM");
    expect(dueClock("2026-12-04T23:00:00Z", "America/Chicago", "en-US", now)).toContain("Dec 4");
  });
});
