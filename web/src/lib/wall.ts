// The supervisor wall's logic: waits that tick from timestamps (on the server's
// clock, not the browser's), limits, ordering and the day's chart.
import type { components } from "../api/schema";

type S = components["schemas"];
export type WallView = S["WallView"];
export type WallClinic = S["WallClinic"];
export type WallQueue = S["WallQueue"];
export type WallAgent = S["WallAgent"];
export type WallAlert = S["WallAlert"];
export type WallFigures = S["WallFigures"];

/** How far the server's clock is ahead of this browser's (ms), from a response's `at`
 * and when the browser received it. Waits tick on the server's clock. */
export function clockOffset(serverAt: string, receivedAtMs: number): number {
  const server = Date.parse(serverAt);
  return Number.isFinite(server) ? server - receivedAtMs : 0;
}

/** Whole seconds from `sinceIso` to now (never negative). */
export function elapsedSeconds(sinceIso: string, nowMs: number, offsetMs = 0): number {
  const since = Date.parse(sinceIso);
  if (!Number.isFinite(since)) return 0;
  return Math.max(0, Math.floor((nowMs + offsetMs - since) / 1000));
}

/** "0:07", "2:05", "1:02:09": a wait or a time in state, as a wallboard shows it. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

/** A share 0..1 as "83 %"-style text; "–" when there is nothing to measure yet. */
export function formatShare(share: number | null | undefined, locale: string): string {
  if (share === null || share === undefined) return "–";
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(share);
}

/** The wait limit of a priority in seconds (null: never alerts). Unknown: urgent's. */
export function limitOf(priority: string, limits: Record<string, number | null | undefined>): number | null {
  if (priority in limits) return limits[priority] ?? null;
  return limits.urgent ?? null;
}

/** True when a caller in line `waitedSeconds` is past their priority's limit (at it counts). */
export function overLimit(
  priority: string,
  waitedSeconds: number,
  limits: Record<string, number | null | undefined>,
  inLine = true,
): boolean {
  const limit = limitOf(priority, limits);
  return inLine && limit !== null && waitedSeconds >= limit;
}

/** Mantine colour of a priority's badge. */
export function priorityColor(priority: string): string {
  if (priority === "emergency") return "red";
  if (priority === "urgent") return "orange";
  return "blue";
}

/** Mantine colour of a presence state's badge. */
export function presenceColor(presence: string): string {
  switch (presence) {
    case "available":
      return "green";
    case "busy":
      return "red";
    case "wrap_up":
      return "yellow";
    case "away":
      return "gray";
    default:
      return "dark";
  }
}

/** Callers in line now (waiting or ringing) across a clinic's queues. */
export function inLine(queues: WallQueue[]): number {
  return queues.reduce((n, q) => n + q.waiting + q.ringing, 0);
}

/** Agents by state, in the order the wall lists states. */
export function presenceCounts(agents: WallAgent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of agents) counts[a.presence] = (counts[a.presence] ?? 0) + 1;
  return counts;
}

export interface ChartRow {
  hour: string;
  offered: number;
  answered: number;
  abandoned: number;
}

/** Today's hours for the chart, from the first hour with a call (at least the last
 * `minHours`), labelled "08:00". */
export function chartRows(figures: WallFigures, minHours = 8): ChartRow[] {
  const hours = figures.hours;
  const first = hours.findIndex((h) => h.offered > 0);
  const start = Math.max(0, Math.min(first === -1 ? hours.length : first, hours.length - minHours));
  return hours.slice(start).map((h) => ({
    hour: `${String(h.hour).padStart(2, "0")}:00`,
    offered: h.offered,
    answered: h.answered,
    abandoned: h.abandoned,
  }));
}

/** A department code as words when the catalog has none: "nurse_triage" -> "Nurse triage". */
export function departmentWords(code: string): string {
  const words = code.replace(/_/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : code;
}
