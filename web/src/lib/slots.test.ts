import { describe, expect, it } from "vitest";
import type { OfferView, SlotView } from "../api/types";
import { groupSlotsByDay, offerSummary, slotWindow } from "./slots";

function slot(id: string, start: string): SlotView {
  return { id, start, end: start, staff_id: "s", location_id: "l" } as unknown as SlotView;
}

describe("free slots by the clinic's day", () => {
  it("groups by the clinic's date, not UTC's", () => {
    // 03:30 UTC on the 5th is still the evening of the 4th in Chicago.
    const slots = [slot("b", "2026-12-05T15:00:00Z"), slot("a", "2026-12-05T03:30:00Z"), slot("c", "2026-12-05T14:00:00Z")];
    expect(groupSlotsByDay(slots, "America/Chicago").map(([day, s]) => [day, s.map((x) => x.id)])).toEqual([
      ["2026-12-04", ["a"]],
      ["2026-12-05", ["c", "b"]],
    ]);
    expect(groupSlotsByDay(slots, "UTC").map(([day]) => day)).toEqual(["2026-12-05"]);
  });

  it("asks for the next N days from now", () => {
    const w = slotWindow(new Date("2026-12-03T12:00:00Z"), 14);
    expect(w).toEqual({ from: "2026-12-03T12:00:00.000Z", to: "2026-12-17T12:00:00.000Z" });
  });
});

describe("a freed slot's offers", () => {
  const offer = (patient_id: string, status: OfferView["status"]) => ({ patient_id, status }) as OfferView;
  it("counts who was asked, who has not answered, and who took it", () => {
    expect(offerSummary([offer("a", "declined"), offer("b", "accepted"), offer("c", "taken"), offer("d", "unsent")])).toEqual({
      offered: 3,
      waiting: 0,
      takenBy: "b",
    });
    expect(offerSummary([offer("a", "open"), offer("b", "open")])).toEqual({ offered: 2, waiting: 2, takenBy: null });
    expect(offerSummary([])).toEqual({ offered: 0, waiting: 0, takenBy: null });
  });
});
