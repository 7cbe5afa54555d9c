// The agent desk's logic: presence, the call card's flags and highlighted words,
// waiting counts, wrap-up. Pure functions, no React.
import type { components } from "../api/schema";

type S = components["schemas"];
export type DeskView = S["DeskView"];
export type CallCard = S["CallCardView"];
export type TriageWord = S["TriageWord"];
export type Disposition = S["Disposition"];
export type Presence = S["PresenceState"];
export type RecentInteraction = S["RecentInteraction"];

/** Query keys: all under ["desk"], which the live layer invalidates on "desk" events. */
export const deskKeys = {
  all: ["desk"] as const,
  me: ["desk", "me"] as const,
  cards: ["desk", "call"] as const,
  call: (entryId: string, status: string) => ["desk", "call", entryId, status] as const,
};

/** How often the desk is asked again while it can change (a fallback for live events). */
export const POLL_MS = 5_000;

/** What an agent may set by hand; busy and wrap-up come from calls. */
export const SETTABLE: readonly Presence[] = ["available", "away", "offline"];

/** Busy (a call rings or is connected) and wrap-up are shown, never chosen. */
export function isReadOnly(presence: Presence): boolean {
  return !SETTABLE.includes(presence);
}

/** The desk changes by itself in these states (calls arrive, end, wrap-up runs out). */
export function shouldPoll(presence: Presence | undefined): boolean {
  return presence === "available" || presence === "busy" || presence === "wrap_up";
}

export const DISPOSITIONS: readonly Disposition[] = [
  "resolved",
  "appointment_booked",
  "message_taken",
  "callback_needed",
  "transferred",
  "clinical_advice",
  "wrong_number",
  "other",
];

/** The longest wrap-up note the API takes. */
export const NOTE_MAX = 2000;

/** A priority in words (an i18n key) and colour: urgent and emergency are red. */
export interface PriorityFlag {
  label: string;
  color: string;
  alarm: boolean;
}

export function priorityFlag(priority: string): PriorityFlag {
  if (priority === "emergency") return { label: "urgency.emergency", color: "red", alarm: true };
  if (priority === "urgent") return { label: "urgency.urgent", color: "red", alarm: true };
  if (priority === "routine") return { label: "urgency.routine", color: "gray", alarm: false };
  // An unknown priority is routed as urgent (safety first): shown so too.
  return { label: "urgency.urgent", color: "red", alarm: true };
}

const PRIORITY_ORDER = ["emergency", "urgent", "routine"];

/** Waiting counts, most urgent first; unknown priorities after the known ones. */
export function waitingByPriority(waiting: Record<string, number>): { priority: string; count: number }[] {
  const rank = (p: string) => {
    const i = PRIORITY_ORDER.indexOf(p);
    return i === -1 ? PRIORITY_ORDER.length : i;
  };
  return Object.entries(waiting)
    .filter(([, count]) => count > 0)
    .map(([priority, count]) => ({ priority, count }))
    .sort((a, b) => rank(a.priority) - rank(b.priority) || a.priority.localeCompare(b.priority));
}

export function waitingTotal(waiting: Record<string, number>): number {
  return Object.values(waiting).reduce((sum, n) => sum + Math.max(0, n), 0);
}

/** Whole seconds from `iso` to `now` (never negative: clocks differ a little). */
export function secondsSince(iso: string, now: number): number {
  return Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
}

/** "0:07", "4:05", "1:02:09". */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

/** A piece of the caller's words: plain, or a phrase triage matched. */
export interface Segment {
  text: string;
  /** The phrase's urgency when matched, else null */
  urgency: string | null;
  /** Matched but negated or about the past: shown, not driving the decision */
  discounted: boolean;
}

/**
 * The caller's words cut into plain and matched pieces for highlighting. Overlapping
 * matches merge (a driving match wins over a discounted one); offsets outside the
 * words are ignored.
 */
export function segmentWords(words: string, drivers: readonly TriageWord[]): Segment[] {
  const valid = drivers
    .filter((d) => d.start >= 0 && d.end > d.start && d.end <= words.length)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: { start: number; end: number; urgency: string; discounted: boolean }[] = [];
  for (const d of valid) {
    const last = merged[merged.length - 1];
    if (last && d.start < last.end) {
      last.end = Math.max(last.end, d.end);
      if (last.discounted && !d.discounted) {
        last.discounted = false;
        last.urgency = d.urgency;
      }
      continue;
    }
    merged.push({ start: d.start, end: d.end, urgency: d.urgency, discounted: d.discounted });
  }
  const out: Segment[] = [];
  let at = 0;
  for (const m of merged) {
    if (m.start > at) out.push({ text: words.slice(at, m.start), urgency: null, discounted: false });
    out.push({ text: words.slice(m.start, m.end), urgency: m.urgency, discounted: m.discounted });
    at = m.end;
  }
  if (at < words.length) out.push({ text: words.slice(at), urgency: null, discounted: false });
  return out;
}

/** What happened in an earlier contact, as i18n keys (never what was said). */
export function recentSummary(item: RecentInteraction): string[] {
  const kinds = new Set(item.kinds);
  const out: string[] = [];
  if (kinds.has("agent.connected")) out.push("calls.recent.answered");
  else if (item.channel === "voice" && kinds.has("queue.entered")) out.push("calls.recent.notAnswered");
  if ([...kinds].some((k) => k.startsWith("voicemail"))) out.push("calls.recent.voicemail");
  if (kinds.has("callback.queued")) out.push("calls.recent.callback");
  if (kinds.has("safety.escalated")) out.push("calls.recent.escalated");
  if (kinds.has("note")) out.push("calls.recent.note");
  return out;
}

/** Seconds of wrap-up left (null when the card is not in wrap-up). */
export function wrapUpLeft(card: Pick<CallCard, "status" | "wrap_up_ends_at">, now: number): number | null {
  if (card.status !== "wrap_up" || !card.wrap_up_ends_at) return null;
  // Floor: the screen's clock ticks once a second, so fresh data may be up to 1 s "early".
  return Math.max(0, Math.floor((Date.parse(card.wrap_up_ends_at) - now) / 1000));
}

/** The note as sent: trimmed, and absent rather than blank. */
export function wrapUpBody(disposition: Disposition, note: string): { disposition: Disposition; note?: string } {
  const trimmed = note.trim();
  return trimmed ? { disposition, note: trimmed.slice(0, NOTE_MAX) } : { disposition };
}

/** The desk's keyboard shortcuts (shown on screen; physical keys, so Alt works on a Mac too). */
export const SHORTCUTS = [
  { keys: "alt+A", display: "Alt+A", label: "calls.shortcuts.available" },
  { keys: "alt+W", display: "Alt+W", label: "calls.shortcuts.away" },
  { keys: "alt+O", display: "Alt+O", label: "calls.shortcuts.offline" },
  { keys: "mod+Enter", display: "Ctrl+Enter", label: "calls.shortcuts.submit" },
] as const;
