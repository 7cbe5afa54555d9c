// Times are shown in the clinic's time zone, never the browser's.

/** The calendar day (YYYY-MM-DD) it is now in `timeZone`. */
export function dayIn(timeZone: string, now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** A clock time such as "9:30 AM" (en) or "9:30" (es) in `timeZone`. */
export function formatTime(iso: string, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, hour: "numeric", minute: "2-digit" }).format(
    new Date(iso),
  );
}

/** Date and time, e.g. "Dec 3, 2026, 9:30 AM", in `timeZone`. */
export function formatDateTime(iso: string, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(iso));
}

/** A long day heading, e.g. "Thursday, December 3, 2026", for a YYYY-MM-DD day. */
export function formatDay(day: string, locale: string): string {
  // Noon UTC of that day is the same calendar day in every time zone we show.
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", dateStyle: "full" }).format(
    new Date(`${day}T12:00:00Z`),
  );
}

/** A date of birth (a calendar date, no zone), e.g. "Mar 4, 1961". */
export function formatBirthDate(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", dateStyle: "medium" }).format(
    new Date(`${day}T12:00:00Z`),
  );
}
