// The inbox's ordering, labels and threads: pure functions, no React.
import type { Conversation, InteractionView, OutboundMessageView } from "../api/types";

/** Where a conversation stands, in words (an i18n key) and colour; never colour alone. */
export interface ConversationFlag {
  /** i18n key of the text label */
  label: string;
  /** Mantine colour */
  color: string;
  /** emergency or urgent: shown first and in red */
  alarm: boolean;
}

const RANK: Record<string, number> = { emergency: 0, urgent: 1 };

function rank(c: Conversation): number {
  if (!c.needs_reply) return 3;
  const alarm = c.urgency ? RANK[c.urgency] : undefined;
  return alarm ?? 2;
}

/** Waiting emergencies, then waiting urgent ones, then the rest waiting for a reply, then the
 * answered ones; newest first within each (the API's order). Once staff answer, a
 * conversation no longer floats, whatever its triage said. */
export function sortConversations(items: readonly Conversation[]): Conversation[] {
  return [...items].sort(
    (a, b) => rank(a) - rank(b) || Date.parse(b.last_at) - Date.parse(a.last_at) || a.key.localeCompare(b.key),
  );
}

export function conversationFlag(c: Conversation): ConversationFlag | null {
  if (!c.needs_reply) return null;
  if (c.urgency === "emergency") return { label: "urgency.emergency", color: "red", alarm: true };
  if (c.urgency === "urgent") return { label: "urgency.urgent", color: "red", alarm: true };
  return { label: "inbox.needsReply", color: "blue", alarm: false };
}

export type Side = "inbound" | "outbound";

export interface ThreadText {
  id: string;
  at: string;
  side: Side;
  text: string;
  /** i18n key: a patient's text, careline's automatic answer, or staff's */
  label: string;
  /** Who wrote it (staff texts), else null */
  author: string | null;
  locationId: string | null;
}

const KINDS: Record<string, { side: Side; label: string; staff: boolean }> = {
  "sms.received": { side: "inbound", label: "inbox.from.patient", staff: false },
  "sms.answered": { side: "outbound", label: "inbox.from.careline", staff: false },
  "sms.sent": { side: "outbound", label: "inbox.from.careline", staff: false },
  "sms.sent_by_staff": { side: "outbound", label: "inbox.from.staff", staff: true },
};

/** Every text in these interactions, oldest first. */
export function threadOf(interactions: readonly InteractionView[]): ThreadText[] {
  const texts: (ThreadText & { seq: number })[] = [];
  for (const i of interactions) {
    for (const e of i.events) {
      const kind = KINDS[e.kind];
      if (!kind || !e.text) continue;
      texts.push({
        id: e.id,
        at: e.at,
        seq: e.seq,
        side: kind.side,
        text: e.text,
        label: kind.label,
        author: kind.staff ? e.actor_name : null,
        locationId: i.location_id,
      });
    }
  }
  texts.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.seq - b.seq);
  return texts.map((x) => ({
    id: x.id,
    at: x.at,
    side: x.side,
    text: x.text,
    label: x.label,
    author: x.author,
    locationId: x.locationId,
  }));
}

/** The time a text waits for when quiet hours hold it, or null when it goes now. */
export function heldUntil(message: OutboundMessageView, now: Date = new Date()): string | null {
  return message.status === "pending" && Date.parse(message.due_at) > now.getTime() ? message.due_at : null;
}
