import { describe, expect, it } from "vitest";
import en from "../i18n/en.json";
import es from "../i18n/es.json";
import {
  chartRows,
  clockOffset,
  departmentWords,
  elapsedSeconds,
  formatDuration,
  formatShare,
  inLine,
  limitOf,
  overLimit,
  presenceCounts,
  type WallAgent,
  type WallFigures,
  type WallQueue,
} from "./wall";

const LIMITS = { emergency: 0, urgent: 120, routine: null };

function queue(over: Partial<WallQueue> = {}): WallQueue {
  return {
    location_id: "loc",
    department: "scheduling",
    priority: "routine",
    waiting: 0,
    ringing: 0,
    connected: 0,
    longest_wait_seconds: 0,
    oldest_entered_at: null,
    offered_today: 0,
    answered_today: 0,
    abandoned_today: 0,
    service_level_today: null,
    ...over,
  };
}

describe("waits tick on the server's clock", () => {
  it("measures how far the server is ahead", () => {
    expect(clockOffset("2026-12-03T10:00:05Z", Date.parse("2026-12-03T10:00:00Z"))).toBe(5000);
    expect(clockOffset("not a time", 123)).toBe(0);
  });
  it("counts whole seconds since a timestamp, never negative", () => {
    const now = Date.parse("2026-12-03T10:02:05.900Z");
    expect(elapsedSeconds("2026-12-03T10:00:00Z", now)).toBe(125);
    expect(elapsedSeconds("2026-12-03T10:00:00Z", now, 10_000)).toBe(135);
    expect(elapsedSeconds("2026-12-03T10:05:00Z", now)).toBe(0);
    expect(elapsedSeconds("garbage", now)).toBe(0);
  });
  it("formats durations as a wallboard does", () => {
    expect(formatDuration(7)).toBe("0:07");
    expect(formatDuration(125)).toBe("2:05");
    expect(formatDuration(3729)).toBe("1:02:09");
    expect(formatDuration(-3)).toBe("0:00");
  });
});

describe("limits", () => {
  it("alerts emergencies at once, urgent callers at two minutes, routine never", () => {
    expect(overLimit("emergency", 0, LIMITS)).toBe(true);
    expect(overLimit("urgent", 119, LIMITS)).toBe(false);
    expect(overLimit("urgent", 120, LIMITS)).toBe(true);
    expect(overLimit("routine", 99_999, LIMITS)).toBe(false);
    expect(overLimit("emergency", 50, LIMITS, false)).toBe(false); // nobody in line
  });
  it("treats an unknown priority as urgent", () => {
    expect(limitOf("strange", LIMITS)).toBe(120);
  });
});

describe("figures", () => {
  it("shows a share as a percentage, or a dash when nothing was measured", () => {
    expect(formatShare(2 / 3, "en")).toBe("67%");
    expect(formatShare(null, "en")).toBe("–");
  });
  it("counts callers in line and agents by state", () => {
    expect(inLine([queue({ waiting: 2, ringing: 1, connected: 4 }), queue({ waiting: 1 })])).toBe(4);
    const agents = ["available", "busy", "available"].map(
      (presence, i) => ({ staff_id: String(i), presence }) as WallAgent,
    );
    expect(presenceCounts(agents)).toEqual({ available: 2, busy: 1 });
  });
  it("charts from the first hour with calls, keeping at least eight hours", () => {
    const hours = Array.from({ length: 15 }, (_, hour) => ({
      hour,
      offered: hour === 9 ? 3 : 0,
      answered: hour === 9 ? 2 : 0,
      abandoned: hour === 9 ? 1 : 0,
    }));
    const figures = { hours } as WallFigures;
    const rows = chartRows(figures);
    expect(rows.map((r) => r.hour)).toEqual(["07:00", "08:00", "09:00", "10:00", "11:00", "12:00", "13:00", "14:00"]);
    expect(rows[2]).toEqual({ hour: "09:00", offered: 3, answered: 2, abandoned: 1 });
    hours[2] = { hour: 2, offered: 1, answered: 0, abandoned: 0 };
    expect(chartRows(figures)[0]?.hour).toBe("02:00");
    expect(chartRows({ hours: hours.slice(0, 3) } as WallFigures)).toHaveLength(3);
  });
  it("names departments the catalog does not know", () => {
    expect(departmentWords("nurse_triage")).toBe("Nurse triage");
  });
});

describe("catalogs", () => {
  it("have the same wall keys in English and Spanish", () => {
    const keys = (node: unknown, prefix = ""): string[] =>
      Object.entries(node as Record<string, unknown>).flatMap(([k, v]) =>
        typeof v === "object" && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    expect(keys(es.wall).sort()).toEqual(keys(en.wall).sort());
  });
});
