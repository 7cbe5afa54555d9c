import { describe, expect, it } from "vitest";
import en from "../i18n/en.json";
import es from "../i18n/es.json";
import type { AppointmentStatus } from "../api/types";
import { appointmentLabel, canReschedule, isExpected, statusInfo } from "./status";

const ALL: AppointmentStatus[] = ["booked", "confirmed", "arrived", "fulfilled", "noshow", "cancelled"];

describe("appointment statuses", () => {
  it("has a label in both languages for every status", () => {
    for (const status of ALL) {
      const key = statusInfo(status).label.split(".")[1] as keyof typeof en.status;
      expect(en.status[key]).toBeTruthy();
      expect(es.status[key]).toBeTruthy();
    }
  });

  it("offers check-in and no-show only while the patient is still expected", () => {
    for (const status of ALL) {
      const actions = statusInfo(status).actions;
      expect(actions.includes("arrived")).toBe(isExpected(status));
      expect(actions.includes("noshow")).toBe(isExpected(status));
    }
    expect(statusInfo("booked").actions).toContain("confirm");
    expect(statusInfo("confirmed").actions).not.toContain("confirm");
  });
});

describe("message catalogs", () => {
  function keys(value: unknown, prefix = ""): string[] {
    if (typeof value !== "object" || value === null) return [prefix];
    return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
  }
  it("Spanish has every English string and no other", () => {
    expect(keys(es).sort()).toEqual(keys(en).sort());
  });
});

describe("appointment labels", () => {
  it("says when a reminder reply confirmed it, and not otherwise", () => {
    expect(appointmentLabel({ status: "confirmed", confirmed_via: "reminder_text" })).toBe("status.confirmedByReminder");
    expect(appointmentLabel({ status: "confirmed", confirmed_via: "reminder_call" })).toBe("status.confirmedByReminder");
    expect(appointmentLabel({ status: "confirmed", confirmed_via: "staff" })).toBe("status.confirmed");
    expect(appointmentLabel({ status: "confirmed", confirmed_via: null })).toBe("status.confirmed");
    expect(appointmentLabel({ status: "cancelled", confirmed_via: "reminder_text" })).toBe("status.cancelled");
  });

  it("offers a move only while the visit is still ahead", () => {
    expect(canReschedule("booked")).toBe(true);
    expect(canReschedule("confirmed")).toBe(true);
    expect(canReschedule("arrived")).toBe(false);
    expect(canReschedule("cancelled")).toBe(false);
  });
});
