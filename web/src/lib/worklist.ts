// The Worklist's logic: working order, overdue, who holds a task, the views, the
// summary Today shows. Pure functions over the API's TaskView (tested in worklist.test.ts).
import type { TaskUrgency, TaskView } from "../api/types";
import { dayIn, formatDateTime, formatTime } from "./time";

export type TaskFilter = "all" | "mine" | "unclaimed";

export const TASK_FILTERS: readonly TaskFilter[] = ["all", "mine", "unclaimed"];

const RANK: Record<TaskUrgency, number> = { emergency: 0, urgent: 1, routine: 2 };

/** When a task is due; a task filed before due times existed counts from its creation. */
export function dueOf(task: TaskView): string {
  return task.due_at ?? task.created_at;
}

/** Most urgent first, then the soonest due, then the oldest (the API's order too). */
export function sortTasks(items: readonly TaskView[]): TaskView[] {
  return [...items].sort(
    (a, b) =>
      RANK[a.urgency] - RANK[b.urgency] ||
      Date.parse(dueOf(a)) - Date.parse(dueOf(b)) ||
      Date.parse(a.created_at) - Date.parse(b.created_at) ||
      a.id.localeCompare(b.id),
  );
}

/** Urgent and emergency tasks are shown in red. */
export function isRed(task: Pick<TaskView, "urgency">): boolean {
  return task.urgency === "emergency" || task.urgency === "urgent";
}

export function isOverdue(task: TaskView, now: Date = new Date()): boolean {
  return task.status === "open" && Date.parse(dueOf(task)) < now.getTime();
}

export type Holder = "me" | "colleague" | "nobody";

export function holderOf(task: TaskView, userId: string): Holder {
  if (!task.claimed_by_user_id) return "nobody";
  return task.claimed_by_user_id === userId ? "me" : "colleague";
}

export function matchesFilter(task: TaskView, filter: TaskFilter, userId: string): boolean {
  if (filter === "mine") return holderOf(task, userId) === "me";
  if (filter === "unclaimed") return holderOf(task, userId) === "nobody";
  return true;
}

export interface DueText {
  /** i18n key under worklist.due */
  key: "overdue" | "now" | "inMinutes" | "at";
  minutes: number;
}

/** How the due time reads: "overdue 12 min", "due now", "due in 9 min", or a clock time. */
export function dueText(task: TaskView, now: Date = new Date()): DueText {
  const minutes = Math.round((Date.parse(dueOf(task)) - now.getTime()) / 60_000);
  if (isOverdue(task, now)) return { key: "overdue", minutes: Math.max(1, -minutes) };
  if (minutes <= 0) return { key: "now", minutes: 0 };
  if (minutes < 60) return { key: "inMinutes", minutes };
  return { key: "at", minutes };
}

export interface WorklistSummary {
  open: number;
  overdue: number;
  urgent: number;
  mine: number;
  unclaimed: number;
}

/** The short summary Today shows in place of a task table. */
export function summarize(items: readonly TaskView[], userId: string, now: Date = new Date()): WorklistSummary {
  const open = items.filter((t) => t.status === "open");
  return {
    open: open.length,
    overdue: open.filter((t) => isOverdue(t, now)).length,
    urgent: open.filter(isRed).length,
    mine: open.filter((t) => holderOf(t, userId) === "me").length,
    unclaimed: open.filter((t) => holderOf(t, userId) === "nobody").length,
  };
}

/** A task whose patient can be texted from the Worklist: it has one. */
export function canText(task: Pick<TaskView, "patient_id">): task is { patient_id: string } {
  return typeof task.patient_id === "string" && task.patient_id.length > 0;
}

/** "Which patient?" with candidates and an interaction to attach. */
export function needsAttach(task: TaskView): boolean {
  return task.kind === "which_patient" && !task.patient_id && !!task.interaction_id && task.candidates.length > 0;
}

/** A due time as a clock time when it falls today at the clinic, else date and time. */
export function dueClock(iso: string, timeZone: string, locale: string, now: Date = new Date()): string {
  return dayIn(timeZone, new Date(iso)) === dayIn(timeZone, now)
    ? formatTime(iso, timeZone, locale)
    : formatDateTime(iso, timeZone, locale);
}
