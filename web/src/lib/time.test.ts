import { describe, expect, it } from "vitest";
import { dayIn, formatBirthDate, formatTime } from "./time";

describe("clinic time zones", () => {
  // 05:30 UTC on 3 Dec: still 2 Dec in Chicago and Denver, already 3 Dec in Madrid.
  const instant = new Date("2026-12-03T05:30:00Z");

  it("finds the clinic's calendar day, not the browser's", () => {
    expect(dayIn("America/Chicago", instant)).toBe("2026-12-02");
    expect(dayIn("Europe/Madrid", instant)).toBe("2026-12-03");
  });

  it("shows clock times in the clinic's zone", () => {
    expect(formatTime("2026-12-03T15:30:00Z", "America/Chicago", "en-US")).toBe("9:30 AM");
    expect(formatTime("2026-12-03T15:30:00Z", "America/Denver", "en-US")).toBe("8:30 AM");
    expect(formatTime("2026-12-03T15:30:00Z", "America/Chicago", "es")).toBe("9:30");
  });

  it("follows daylight saving time", () => {
    // 14:00 UTC is 9:00 in Chicago in summer (CDT, UTC-5) but 8:00 in winter (CST, UTC-6).
    expect(formatTime("2026-07-01T14:00:00Z", "America/Chicago", "en-US")).toBe("9:00 AM");
    expect(formatTime("2026-01-15T14:00:00Z", "America/Chicago", "en-US")).toBe("8:00 AM");
  });

  it("never shifts a date of birth across a day boundary", () => {
    expect(formatBirthDate("1961-03-04", "en-US")).toBe("Mar 4, 1961");
  });
});
