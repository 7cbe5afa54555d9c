import { describe, expect, it } from "vitest";
import en from "../i18n/en.json";
import es from "../i18n/es.json";
import {
  DISPOSITIONS,
  deskKeys,
  formatDuration,
  isReadOnly,
  priorityFlag,
  recentSummary,
  type RecentInteraction,
  SETTABLE,
  SHORTCUTS,
  secondsSince,
  segmentWords,
  shouldPoll,
  type TriageWord,
  waitingByPriority,
  waitingTotal,
  wrapUpBody,
  wrapUpLeft,
} from "./desk";

function word(start: number, end: number, over: Partial<TriageWord> = {}): TriageWord {
  return { start, end, phrase: "x", urgency: "urgent", discounted: false, ...over };
}

function lookup(catalog: unknown, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalog);
}

describe("the caller's words", () => {
  const words = "my son has a fever of 104 and is vomiting";

  it("cuts the words into plain and matched pieces that put the words back together", () => {
    const fever = words.indexOf("fever");
    const vomiting = words.indexOf("vomiting");
    const segments = segmentWords(words, [word(vomiting, vomiting + 8), word(fever, fever + 5)]);
    expect(segments.map((s) => s.text).join("")).toBe(words);
    expect(segments.filter((s) => s.urgency !== null).map((s) => s.text)).toEqual(["fever", "vomiting"]);
    expect(segments[0]).toEqual({ text: "my son has a ", urgency: null, discounted: false });
  });

  it("merges overlapping matches, a driving one winning over a discounted one", () => {
    const segments = segmentWords("no chest pain now", [
      word(3, 8, { discounted: true, urgency: "routine" }),
      word(3, 13, { urgency: "emergency" }),
    ]);
    expect(segments.map((s) => [s.text, s.urgency, s.discounted])).toEqual([
      ["no ", null, false],
      ["chest pain", "emergency", false],
      [" now", null, false],
    ]);
  });

  it("ignores offsets outside the words and keeps a discounted phrase marked as such", () => {
    const segments = segmentWords("had a fever", [word(6, 11, { discounted: true }), word(5, 99), word(-1, 2)]);
    expect(segments).toEqual([
      { text: "had a ", urgency: null, discounted: false },
      { text: "fever", urgency: "urgent", discounted: true },
    ]);
    expect(segmentWords("", [])).toEqual([]);
  });
});

describe("priority, presence and waiting calls", () => {
  it("shows urgent, emergency and unknown priorities in red, in words", () => {
    expect(priorityFlag("emergency")).toEqual({ label: "urgency.emergency", color: "red", alarm: true });
    expect(priorityFlag("urgent").alarm).toBe(true);
    expect(priorityFlag("routine")).toEqual({ label: "urgency.routine", color: "gray", alarm: false });
    expect(priorityFlag("whatever").alarm).toBe(true); // routed as urgent: shown so
  });

  it("lets agents set available, away and offline only; busy and wrap-up are read-only", () => {
    expect(SETTABLE).toEqual(["available", "away", "offline"]);
    expect(isReadOnly("busy")).toBe(true);
    expect(isReadOnly("wrap_up")).toBe(true);
    expect(isReadOnly("away")).toBe(false);
    expect(shouldPoll("available") && shouldPoll("busy") && shouldPoll("wrap_up")).toBe(true);
    expect(shouldPoll("away") || shouldPoll("offline") || shouldPoll(undefined)).toBe(false);
  });

  it("orders waiting counts most urgent first and drops empty ones", () => {
    expect(waitingByPriority({ routine: 3, vip: 1, emergency: 1, urgent: 0 })).toEqual([
      { priority: "emergency", count: 1 },
      { priority: "routine", count: 3 },
      { priority: "vip", count: 1 },
    ]);
    expect(waitingTotal({ routine: 3, emergency: 1 })).toBe(4);
    expect(waitingTotal({})).toBe(0);
  });

  it("keeps every desk query under the key the live layer refreshes", () => {
    expect(deskKeys.me[0]).toBe("desk");
    expect(deskKeys.call("e1", "offered")).toEqual(["desk", "call", "e1", "offered"]);
  });
});

describe("times", () => {
  it("formats durations as m:ss or h:mm:ss", () => {
    expect(formatDuration(7)).toBe("0:07");
    expect(formatDuration(245)).toBe("4:05");
    expect(formatDuration(3729)).toBe("1:02:09");
    expect(formatDuration(-5)).toBe("0:00");
  });

  it("counts seconds since an instant, never below zero", () => {
    const now = Date.parse("2026-12-03T10:00:30Z");
    expect(secondsSince("2026-12-03T10:00:00Z", now)).toBe(30);
    expect(secondsSince("2026-12-03T10:01:00Z", now)).toBe(0);
  });

  it("tells how much wrap-up is left, only in wrap-up", () => {
    const now = Date.parse("2026-12-03T10:00:00Z");
    expect(wrapUpLeft({ status: "wrap_up", wrap_up_ends_at: "2026-12-03T10:00:41.8Z" }, now)).toBe(41);
    expect(wrapUpLeft({ status: "wrap_up", wrap_up_ends_at: "2026-12-03T09:59:00Z" }, now)).toBe(0);
    expect(wrapUpLeft({ status: "connected", wrap_up_ends_at: null }, now)).toBeNull();
  });
});

describe("wrap-up", () => {
  it("sends a trimmed note, or none when it is blank", () => {
    expect(wrapUpBody("resolved", "  called back  ")).toEqual({ disposition: "resolved", note: "called back" });
    expect(wrapUpBody("other", "   ")).toEqual({ disposition: "other" });
    expect(wrapUpBody("other", "x".repeat(2500)).note).toHaveLength(2000);
  });

  it("says what happened in an earlier contact without what was said", () => {
    const item: RecentInteraction = {
      id: "i1",
      channel: "voice",
      direction: "inbound",
      started_at: "2026-12-01T10:00:00Z",
      status: "completed",
      kinds: ["queue.entered", "agent.connected", "callback.queued"],
      urgency: null,
      disposition: null,
    };
    expect(recentSummary(item)).toEqual(["calls.recent.answered", "calls.recent.callback"]);
    expect(recentSummary({ ...item, kinds: ["queue.entered", "voicemail.transcribed"] })).toEqual([
      "calls.recent.notAnswered",
      "calls.recent.voicemail",
    ]);
  });

  it("has every label in English and Spanish", () => {
    const keys = [
      ...DISPOSITIONS.map((d) => `calls.dispositions.${d}`),
      ...SHORTCUTS.map((s) => s.label),
      ...["answered", "notAnswered", "voicemail", "callback", "escalated", "note"].map((k) => `calls.recent.${k}`),
      ...["offered", "connected", "wrap_up"].map((k) => `calls.card.status.${k}`),
      ...["available", "away", "offline", "busy", "wrap_up"].map((k) => `calls.presence.${k}`),
    ];
    for (const key of keys) {
      expect(typeof lookup(en, key), key).toBe("string");
      expect(typeof lookup(es, key), key).toBe("string");
    }
    expect(lookup(es, "calls.dispositions.resolved")).not.toBe(lookup(en, "calls.dispositions.resolved"));
  });
});
