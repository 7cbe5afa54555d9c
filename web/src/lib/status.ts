// What each appointment status is called and what the front desk may do next.
import type { AppointmentStatus, AppointmentView, TaskUrgency } from "../api/types";

export type AppointmentAction = "arrived" | "noshow" | "confirm";

export interface StatusInfo {
  /** i18n key of the label */
  label: string;
  /** Mantine colour of the badge */
  color: string;
  /** Actions that make sense from here, in the order shown */
  actions: AppointmentAction[];
}

const STATUS: Record<AppointmentStatus, StatusInfo> = {
  booked: { label: "status.booked", color: "blue", actions: ["arrived", "confirm", "noshow"] },
  confirmed: { label: "status.confirmed", color: "teal", actions: ["arrived", "noshow"] },
  arrived: { label: "status.arrived", color: "green", actions: [] },
  fulfilled: { label: "status.fulfilled", color: "gray", actions: [] },
  noshow: { label: "status.noshow", color: "orange", actions: [] },
  cancelled: { label: "status.cancelled", color: "red", actions: [] },
};

export function statusInfo(status: AppointmentStatus): StatusInfo {
  return STATUS[status];
}

/** The badge's words for one appointment: "Confirmed by reminder" when the patient
 *  answered a reminder (text or call), so the desk knows nobody here has spoken to them. */
export function appointmentLabel(a: Pick<AppointmentView, "status" | "confirmed_via">): string {
  if (a.status === "confirmed" && (a.confirmed_via === "reminder_text" || a.confirmed_via === "reminder_call")) {
    return "status.confirmedByReminder";
  }
  return STATUS[a.status].label;
}

/** Booked or confirmed, still ahead: it can move to another free slot. */
export function canReschedule(status: AppointmentStatus): boolean {
  return status === "booked" || status === "confirmed";
}

/** Still expected today: booked or confirmed, not yet here, gone or cancelled. */
export function isExpected(status: AppointmentStatus): boolean {
  return status === "booked" || status === "confirmed";
}

export function urgencyColor(urgency: TaskUrgency): string {
  return urgency === "emergency" ? "red" : urgency === "urgent" ? "orange" : "gray";
}
