// Free slots as the front desk picks among them: by the clinic's own calendar day.
import type { OfferView, SlotView } from "../api/types";
import { dayIn } from "./time";

/** From now to `days` days ahead, as the API's `from`/`to` (UTC instants). */
export function slotWindow(now: Date, days: number): { from: string; to: string } {
  return { from: now.toISOString(), to: new Date(now.getTime() + days * 86_400_000).toISOString() };
}

/** Slots grouped by the clinic's date (YYYY-MM-DD in `timeZone`), days and times in order. */
export function groupSlotsByDay(slots: readonly SlotView[], timeZone: string): [string, SlotView[]][] {
  const byDay = new Map<string, SlotView[]>();
  for (const slot of [...slots].sort((a, b) => a.start.localeCompare(b.start))) {
    const day = dayIn(timeZone, new Date(slot.start));
    byDay.set(day, [...(byDay.get(day) ?? []), slot]);
  }
  return [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b));
}

export interface OfferSummary {
  offered: number;
  /** Offers still open (waiting for the patient's answer). */
  waiting: number;
  /** The patient who took the slot, if someone did. */
  takenBy: string | null;
}

/** A freed slot's waitlist offers in one line's worth of facts. */
export function offerSummary(offers: readonly OfferView[]): OfferSummary {
  return {
    offered: offers.filter((o) => o.status !== "unsent").length,
    waiting: offers.filter((o) => o.status === "open").length,
    takenBy: offers.find((o) => o.status === "accepted")?.patient_id ?? null,
  };
}
