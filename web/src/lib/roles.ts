// Where each role lands after signing in, and which screens it sees.
import type { Me, Permission, Role } from "../api/types";
import { canManage } from "./manager";

const FRONT_DESK_ROLES: readonly Role[] = ["agent", "supervisor", "manager", "admin"];

const INBOX_ROLES: readonly Role[] = ["agent", "clinician", "supervisor"];

export type Screen = "desk" | "worklist" | "calls" | "wall" | "clinics" | "messages" | "patients" | "inbox" | "sessions";

const WALL_ROLES: readonly Role[] = ["supervisor", "manager", "admin"];

export function has(me: Me, permission: Permission): boolean {
  return me.permissions.includes(permission);
}

/** Screens in navigation order. The desk needs the schedule; patients need PHI reads. */
export function screensFor(me: Me): Screen[] {
  const screens: Screen[] = [];
  const frontDesk = me.user.roles.some((r) => FRONT_DESK_ROLES.includes(r.role));
  if (frontDesk && has(me, "patients:read")) screens.push("desk");
  // The worklist: front-desk and clinical tasks (clinicians work the clinical ones).
  if (has(me, "patients:read") && me.user.roles.some((r) => INBOX_ROLES.includes(r.role) || FRONT_DESK_ROLES.includes(r.role))) {
    screens.push("worklist");
  }
  // The agent desk: anyone who takes calls (presence, the call card, wrap-up).
  if (has(me, "presence:write")) screens.push("calls");
  if (me.user.roles.some((r) => WALL_ROLES.includes(r.role)) && has(me, "directory:read")) screens.push("wall");
  // The manager's console: whoever may change a clinic's set-up (managers, admins).
  if (canManage(me)) screens.push("clinics", "messages");
  if (has(me, "patients:read")) screens.push("patients");
  // Two-way texting: front desk, clinicians and supervisors (after Patients, so nobody's start page moves).
  if (has(me, "patients:read") && me.user.roles.some((r) => INBOX_ROLES.includes(r.role))) {
    screens.push("inbox");
  }
  screens.push("sessions");
  return screens;
}

export function landingPath(me: Me): string {
  // Start pages stay put as screens are added: Today for the front desk, else Patients.
  const screens = screensFor(me);
  for (const [screen, path] of [["desk", "/desk"], ["patients", "/patients"], ["inbox", "/inbox"]] as const) {
    if (screens.includes(screen)) return path;
  }
  return "/account/sessions";
}

/** The clinics a user works at: every location when a grant has none, else the granted ones. */
export function clinicIdsOf(me: Me): "all" | string[] {
  if (me.user.roles.some((r) => !r.location_id)) return "all";
  return [...new Set(me.user.roles.map((r) => r.location_id).filter((x): x is string => !!x))];
}
