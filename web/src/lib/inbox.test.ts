import { describe, expect, it } from "vitest";
import type { Conversation, InteractionView, OutboundMessageView } from "../api/types";
import en from "../i18n/en.json";
import es from "../i18n/es.json";
import { conversationFlag, heldUntil, sortConversations, threadOf } from "./inbox";

function conv(key: string, over: Partial<Conversation> = {}): Conversation {
  return {
    key,
    patient_id: key,
    patient_name: null,
    number: null,
    location_id: null,
    last_at: "2026-12-03T10:00:00Z",
    last_direction: "inbound",
    last_text: "hi",
    needs_reply: false,
    urgency: null,
    interaction_id: `i-${key}`,
    unread: false,
    ...over,
  };
}

function lookup(catalog: unknown, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], catalog);
}

describe("inbox ordering", () => {
  it("puts emergencies, then urgent texts, then those needing a reply first, newest first within each", () => {
    const items = [
      conv("old-done", { last_at: "2026-12-01T09:00:00Z" }),
      conv("reply-old", { needs_reply: true, last_at: "2026-12-02T09:00:00Z" }),
      conv("urgent", { needs_reply: true, urgency: "urgent", last_at: "2026-12-01T08:00:00Z" }),
      conv("reply-new", { needs_reply: true, last_at: "2026-12-03T09:00:00Z" }),
      conv("routine", { needs_reply: true, urgency: "routine", last_at: "2026-12-03T11:00:00Z" }),
      conv("emergency", { needs_reply: true, urgency: "emergency", last_at: "2026-11-30T08:00:00Z" }),
      conv("new-done", { last_at: "2026-12-03T12:00:00Z" }),
      conv("urgent-answered", { urgency: "urgent", last_at: "2026-12-03T11:30:00Z" }),
    ];
    expect(sortConversations(items).map((c) => c.key)).toEqual([
      "emergency",
      "urgent",
      "routine",
      "reply-new",
      "reply-old",
      "new-done",
      "urgent-answered",
      "old-done",
    ]);
    expect(items[0]?.key).toBe("old-done"); // the input is left alone
  });

  it("labels waiting emergencies and urgent texts in words, in red, and those waiting for a reply", () => {
    expect(conversationFlag(conv("a", { urgency: "emergency", needs_reply: true }))).toEqual({
      label: "urgency.emergency",
      color: "red",
      alarm: true,
    });
    expect(conversationFlag(conv("b", { urgency: "urgent", needs_reply: true }))).toMatchObject({
      label: "urgency.urgent",
      color: "red",
      alarm: true,
    });
    expect(conversationFlag(conv("c", { needs_reply: true, urgency: "routine" }))).toMatchObject({
      label: "inbox.needsReply",
      alarm: false,
    });
    expect(conversationFlag(conv("d"))).toBeNull();
    // Answered by staff: no longer an alarm.
    expect(conversationFlag(conv("e", { urgency: "urgent", needs_reply: false }))).toBeNull();
    for (const key of ["urgency.emergency", "urgency.urgent", "inbox.needsReply"]) {
      expect(lookup(en, key)).toBeTruthy();
      expect(lookup(es, key)).toBeTruthy();
    }
  });
});

describe("threads", () => {
  const event = (id: string, kind: string, at: string, text: string | null, seq = 1) => ({
    id,
    kind,
    at,
    text,
    seq,
    data: {},
    actor_name: kind === "sms.sent_by_staff" ? "Demo frontdesk" : "careline",
    actor_user_id: null,
    interaction_id: "x",
    staff_id: null,
  });
  const interaction = (id: string, events: ReturnType<typeof event>[]): InteractionView => ({
    id,
    channel: "sms",
    direction: "inbound",
    events,
    started_at: events[0]?.at ?? "2026-12-03T00:00:00Z",
    ended_at: null,
    external_ref: null,
    location_id: "loc",
    patient_id: "p",
    staff_id: null,
    status: "completed",
    summary: null,
  });

  it("lists texts oldest first, the patient's on one side and the clinic's on the other", () => {
    // The timeline comes newest first.
    const thread = threadOf([
      interaction("2", [event("c", "sms.sent_by_staff", "2026-12-03T10:05:00Z", "Please call us")]),
      interaction("1", [
        event("a", "sms.received", "2026-12-03T10:00:00Z", "fever", 1),
        event("t", "triage.alert", "2026-12-03T10:00:00Z", null, 2),
        event("b", "sms.answered", "2026-12-03T10:00:00Z", "We got it", 3),
      ]),
    ]);
    expect(thread.map((x) => [x.id, x.side])).toEqual([
      ["a", "inbound"],
      ["b", "outbound"],
      ["c", "outbound"],
    ]);
    expect(thread[2]?.author).toBe("Demo frontdesk");
    expect(thread[0]?.author).toBeNull();
  });
});

describe("quiet hours", () => {
  const message = (status: OutboundMessageView["status"], due_at: string) =>
    ({ status, due_at }) as OutboundMessageView;
  const now = new Date("2026-12-03T04:00:00Z");

  it("says a text is held only while it waits for a later time", () => {
    expect(heldUntil(message("pending", "2026-12-03T14:00:00Z"), now)).toBe("2026-12-03T14:00:00Z");
    expect(heldUntil(message("pending", "2026-12-03T03:59:00Z"), now)).toBeNull();
    expect(heldUntil(message("sent", "2026-12-03T14:00:00Z"), now)).toBeNull();
  });
});
