// The manager's console, pure parts: weekly hours as a week of rows, reminder wording
// (placeholders, preview with a made-up patient, minimum-necessary PHI warnings) and
// which reminder plan applies. No I/O; the API stays the judge of what is valid.
import type { components } from "../api/schema";
import type { Me, Role } from "../api/types";

type S = components["schemas"];
export type OpeningHours = S["OpeningHours"];
export type ClosureIn = S["Closure"];
export type ClosureView = S["ClosureView"];
export type LocationDays = S["LocationDays"];
export type DayStatus = S["DayStatus"];
export type OpenStatus = S["OpenStatus"];
export type ReminderPlanView = S["ReminderPlanView"];
export type ReminderPlanIn = S["ReminderPlanIn"];

// ---------------------------------------------------------------- who manages what

/** Roles whose grants include directory:write (they set up clinics and messages). */
export const MANAGE_ROLES: readonly Role[] = ["manager", "admin"];

/** Clinics the user may change: "all" for a network-wide manager or admin grant. */
export function managedClinicIds(me: Me): "all" | string[] {
  const grants = me.user.roles.filter((r) => MANAGE_ROLES.includes(r.role));
  if (grants.some((r) => !r.location_id)) return "all";
  return [...new Set(grants.map((r) => r.location_id).filter((x): x is string => !!x))];
}

export function canManage(me: Me): boolean {
  const ids = managedClinicIds(me);
  return me.permissions.includes("directory:write") && (ids === "all" || ids.length > 0);
}

// ---------------------------------------------------------------- weekly hours

export interface Interval {
  opens: string;
  closes: string;
}

/** Monday (0) ... Sunday (6). */
export const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6] as const;

/** The week as seven rows of intervals, each row sorted by opening time. */
export function weekOf(hours: OpeningHours[]): Interval[][] {
  const week: Interval[][] = WEEKDAYS.map(() => []);
  for (const h of hours) week[h.weekday]?.push({ opens: h.opens, closes: h.closes });
  for (const day of week) day.sort((a, b) => a.opens.localeCompare(b.opens));
  return week;
}

/** The API's list from the week's rows (Monday first, in row order). */
export function hoursOf(week: Interval[][]): OpeningHours[] {
  return week.flatMap((day, weekday) => day.map((iv) => ({ weekday, opens: iv.opens.trim(), closes: iv.closes.trim() })));
}

/** Where item `index` of `hoursOf(week)` is in the week: [weekday, row], for the API's field errors. */
export function positionOf(week: Interval[][], index: number): [number, number] | null {
  let left = index;
  for (const [weekday, day] of week.entries()) {
    if (left < day.length) return [weekday, left];
    left -= day.length;
  }
  return null;
}

const HHMM = /^(?:[01][0-9]|2[0-3]):[0-5][0-9]$/;
const HHMM_OR_24 = /^(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;

export function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(":");
  return Number(h) * 60 + Number(m);
}

/** i18n keys of what is wrong with each interval (the server checks the same). */
export type IntervalProblem = "opensFormat" | "closesFormat" | "order" | "overlap";

export function weekProblems(week: Interval[][]): Map<string, IntervalProblem> {
  const problems = new Map<string, IntervalProblem>();
  week.forEach((day, weekday) => {
    const ok: [number, number, number][] = [];
    day.forEach((iv, row) => {
      const key = `${String(weekday)}.${String(row)}`;
      if (!HHMM.test(iv.opens.trim())) problems.set(key, "opensFormat");
      else if (!HHMM_OR_24.test(iv.closes.trim())) problems.set(key, "closesFormat");
      else if (minutes(iv.closes) <= minutes(iv.opens)) problems.set(key, "order");
      else ok.push([minutes(iv.opens), minutes(iv.closes), row]);
    });
    ok.sort((a, b) => a[0] - b[0]);
    let reach = -1;
    for (const [opens, closes, row] of ok) {
      if (opens < reach) problems.set(`${String(weekday)}.${String(row)}`, "overlap");
      reach = Math.max(reach, closes);
    }
  });
  return problems;
}

// ---------------------------------------------------------------- closures

/** A closure's dates and times in words the screen fills in ("2026-12-24", "12:00-17:00"). */
export function closureSpan(c: ClosureIn): { from: string; to: string | null; hours: string | null } {
  const to = c.ends_on && c.ends_on !== c.starts_on ? c.ends_on : null;
  const hours = c.closed_from && c.closed_until ? `${c.closed_from}–${c.closed_until}` : null;
  return { from: c.starts_on, to, hours };
}

/** Closures ending on or after `today` first (soonest first), then past ones (latest first). */
export function sortClosures<T extends ClosureIn>(closures: T[], today: string): { upcoming: T[]; past: T[] } {
  const end = (c: T) => c.ends_on ?? c.starts_on;
  const upcoming = closures.filter((c) => end(c) >= today).sort((a, b) => a.starts_on.localeCompare(b.starts_on));
  const past = closures.filter((c) => end(c) < today).sort((a, b) => b.starts_on.localeCompare(a.starts_on));
  return { upcoming, past };
}

// ---------------------------------------------------------------- reminder wording

export const TEMPLATE_LANGUAGES = ["en", "es"] as const;
export type TemplateLanguage = (typeof TEMPLATE_LANGUAGES)[number];

/** As careline.reminders.model: required and allowed placeholders, and the size limit. */
export const REQUIRED_PLACEHOLDERS = ["date", "time", "reply"] as const;
export const OPTIONAL_PLACEHOLDERS = ["clinic", "what", "prep"] as const;
export const TEMPLATE_MAX = 320;

/** careline's own wording and reply instructions (reminders/model.py TEMPLATES). */
export const STANDARD: Record<TemplateLanguage, { reminder: string; reply: string; what: string; prepCall: string }> = {
  en: {
    reminder: "{clinic}: reminder of your {what} on {date} at {time}.{prep} {reply}",
    reply: "Reply C to confirm, R to reschedule, N to cancel. STOP to end texts.",
    what: "appointment",
    prepCall: "Please call us for how to prepare for this visit.",
  },
  es: {
    reminder: "{clinic}: le recordamos su {what} el {date} a las {time}.{prep} {reply}",
    reply: "Responda C para confirmar, R para cambiarla, N para cancelar. STOP para no recibir más.",
    what: "cita",
    prepCall: "Llámenos para saber cómo prepararse para esta cita.",
  },
};

/** The placeholders a wording uses, in order of first use; null if a brace is unmatched. */
export function placeholdersOf(template: string): string[] | null {
  const found: string[] = [];
  let i = 0;
  while (i < template.length) {
    const ch = template.charAt(i);
    if (ch === "{") {
      if (template.charAt(i + 1) === "{") {
        i += 2;
        continue;
      }
      const end = template.indexOf("}", i);
      if (end < 0) return null;
      const name = template.slice(i + 1, end);
      if (name.includes("{")) return null;
      // As Python's str.format: "{date!r}" and "{date:>3}" name the field before ! or :.
      const field = name.split(/[!:]/)[0] ?? "";
      if (!found.includes(field)) found.push(field);
      i = end + 1;
    } else if (ch === "}") {
      if (template.charAt(i + 1) !== "}") return null;
      i += 2;
    } else i += 1;
  }
  return found;
}

export type TemplateProblem =
  | { key: "length" }
  | { key: "braces" }
  | { key: "unknown"; names: string }
  | { key: "missing"; names: string };

/** What the server would refuse (so the manager sees it before saving). */
export function templateProblems(template: string): TemplateProblem[] {
  if (!template.trim() || template.length > TEMPLATE_MAX) return [{ key: "length" }];
  const used = placeholdersOf(template);
  if (used === null) return [{ key: "braces" }];
  const allowed: readonly string[] = [...REQUIRED_PLACEHOLDERS, ...OPTIONAL_PLACEHOLDERS];
  const problems: TemplateProblem[] = [];
  const unknown = used.filter((p) => !allowed.includes(p));
  if (unknown.length) problems.push({ key: "unknown", names: unknown.map((u) => `{${u}}`).join(", ") });
  const missing = REQUIRED_PLACEHOLDERS.filter((p) => !used.includes(p));
  if (missing.length) problems.push({ key: "missing", names: missing.map((m) => `{${m}}`).join(", ") });
  return problems;
}

/** Placeholder names that would put a patient's identity or health in a text. */
const PHI_NAMES = /name|patient|first|last|family|given|dob|birth|mrn|record|phone|email|address|diagnos|condition|result|medic|drug|doctor|provider|insur|ssn/i;

export type PhiWarning =
  | { key: "identity"; placeholder: string }
  | { key: "visitType" }
  | { key: "prep" };

/**
 * Minimum necessary: a reminder may be read by anyone who sees the phone. Warn about
 * placeholders that would name the patient or their health ({name}, {dob}... the server
 * refuses them too), and about {what} and {prep} when the plan fills them with the visit
 * type or the preparation, which can reveal why someone is seen.
 */
export function phiWarnings(template: string, plan: Pick<ReminderPlanView, "include_type" | "include_prep">): PhiWarning[] {
  const used = placeholdersOf(template) ?? [];
  const warnings: PhiWarning[] = used
    .filter((p) => PHI_NAMES.test(p))
    .map((p) => ({ key: "identity" as const, placeholder: `{${p}}` }));
  if (used.includes("what") && plan.include_type) warnings.push({ key: "visitType" });
  if (used.includes("prep") && plan.include_prep) warnings.push({ key: "prep" });
  return warnings;
}

/** A made-up patient's visit, never a real one: Thursday 10 December, 9:30 at the clinic. */
export const DEMO_VISIT = { weekday: 3, day: 10, month: 11, hour: 9, minute: 30, type: "Follow-up visit" };

const EN_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const ES_DAYS = ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"];
const ES_MONTHS = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"];

/** The values a reminder is filled with, as careline writes them (local_date_time). */
export function demoValues(
  lang: TemplateLanguage,
  clinic: string,
  plan: Pick<ReminderPlanView, "include_type" | "include_prep" | "prep_instructions" | "prep_translations">,
): Record<(typeof REQUIRED_PLACEHOLDERS)[number] | (typeof OPTIONAL_PLACEHOLDERS)[number], string> {
  const v = DEMO_VISIT;
  const std = STANDARD[lang];
  const date =
    lang === "es"
      ? `${ES_DAYS[v.weekday] ?? ""} ${String(v.day)} ${ES_MONTHS[v.month] ?? ""}`
      : `${EN_DAYS[v.weekday] ?? ""} ${EN_MONTHS[v.month] ?? ""} ${String(v.day)}`;
  const hour12 = v.hour % 12 || 12;
  const time =
    lang === "es"
      ? `${String(v.hour)}:${String(v.minute).padStart(2, "0")}`
      : `${String(hour12)}:${String(v.minute).padStart(2, "0")} ${v.hour < 12 ? "AM" : "PM"}`;
  let prep = "";
  if (plan.include_prep && plan.prep_instructions) {
    const text = lang === "en" ? plan.prep_instructions : (plan.prep_translations?.[lang] ?? std.prepCall);
    prep = ` ${text}`;
  }
  return {
    clinic,
    what: plan.include_type ? `${std.what} (${v.type})` : std.what,
    date,
    time,
    prep,
    reply: std.reply,
  };
}

/** A wording with its placeholders filled, spaces collapsed, as careline renders it. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  const filled = template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (match, name?: string) => {
    if (match === "{{") return "{";
    if (match === "}}") return "}";
    const field = (name ?? "").split(/[!:]/)[0] ?? "";
    return values[field] ?? match;
  });
  return filled.split(/\s+/).filter(Boolean).join(" ");
}

// ---------------------------------------------------------------- plans

/** The steps careline uses when no plan is configured (reminders/model.py DEFAULT_STEPS). */
export const DEFAULT_STEPS: S["ReminderStep"][] = [
  { name: "48h", kind: "before", hours_before: 48 },
  { name: "dayof", kind: "day_of", local_time: "08:00:00" },
];

/**
 * The plan for a clinic and visit type (null: every type at the clinic), as the server's
 * pick_plan ranks them: clinic+type, type, clinic, network; else careline's default.
 */
export function pickPlan(plans: ReminderPlanView[], locationId: string, typeCode: string | null): ReminderPlanView {
  const ranked: [string | null, string | null][] =
    typeCode === null
      ? [
          [locationId, null],
          [null, null],
        ]
      : [
          [locationId, typeCode],
          [null, typeCode],
          [locationId, null],
          [null, null],
        ];
  for (const [loc, type] of ranked) {
    const found = plans.find((p) => (p.location_id ?? null) === loc && (p.type_code ?? null) === type);
    if (found) return found;
  }
  return {
    id: null,
    steps: DEFAULT_STEPS,
    include_type: false,
    include_prep: false,
    no_answer_hours: 24,
    notify_caregivers: true,
    templates: {},
    prep_translations: {},
  };
}

/** Where the plan in force comes from, for the screen to say. */
export function planSource(plan: ReminderPlanView, locationId: string, typeCode: string | null): "own" | "clinic" | "type" | "network" | "default" {
  if (plan.id === null) return "default";
  const loc = plan.location_id ?? null;
  const type = plan.type_code ?? null;
  if (loc === locationId && type === typeCode) return "own";
  if (loc === locationId) return "clinic";
  if (type !== null) return "type";
  return "network";
}

/** The PUT body that saves `templates` for this clinic and type, keeping the rest of the plan in force. */
export function planBody(plan: ReminderPlanView, locationId: string, typeCode: string | null, templates: Record<string, string>): ReminderPlanIn {
  const kept: Record<string, string> = {};
  for (const [lang, text] of Object.entries(templates)) if (text.trim()) kept[lang] = text.trim();
  return {
    location_id: locationId,
    type_code: typeCode,
    steps: plan.steps,
    include_type: plan.include_type,
    prep_instructions: plan.prep_instructions ?? null,
    prep_translations: plan.prep_translations ?? {},
    include_prep: plan.include_prep,
    no_answer_hours: plan.no_answer_hours,
    notify_caregivers: plan.notify_caregivers,
    templates: kept,
  };
}

/** A 422's problems by language ("body.templates.es" → es); the rest under "". */
export function templateFieldErrors(errors: { field: string; message: string }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of errors) {
    const match = /^body\.templates\.([^.]+)$/.exec(e.field);
    const key = match?.[1] ?? "";
    (out[key] ??= []).push(match ? e.message : `${e.field}: ${e.message}`);
  }
  return out;
}
