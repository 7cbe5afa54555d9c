import { describe, expect, it } from "vitest";
import type { Me } from "../api/types";
import {
  canManage,
  demoValues,
  fillTemplate,
  hoursOf,
  managedClinicIds,
  phiWarnings,
  pickPlan,
  placeholdersOf,
  planBody,
  planSource,
  positionOf,
  type ReminderPlanView,
  sortClosures,
  STANDARD,
  templateFieldErrors,
  templateProblems,
  weekOf,
  weekProblems,
} from "./manager";
import { landingPath, screensFor } from "./roles";
import { countSegments, toGsm7 } from "./segments";

function me(roles: [string, string | null][], permissions: string[] = ["directory:read", "directory:write"]): Me {
  return {
    user: { roles: roles.map(([role, location_id]) => ({ role, location_id })) },
    permissions,
  } as unknown as Me;
}

describe("who manages which clinics", () => {
  it("gives a network-wide manager every clinic and a clinic manager theirs", () => {
    expect(managedClinicIds(me([["manager", null]]))).toBe("all");
    expect(managedClinicIds(me([["manager", "a"], ["admin", "b"], ["agent", "c"]]))).toEqual(["a", "b"]);
    expect(canManage(me([["manager", "a"]]))).toBe(true);
  });

  it("puts Clinics and Messages in a manager's navigation, and keeps their start page", () => {
    const manager = me([["manager", null]], ["directory:read", "directory:write", "patients:read", "presence:write"]);
    expect(screensFor(manager)).toEqual(["desk", "worklist", "calls", "wall", "clinics", "messages", "patients", "sessions"]);
    expect(landingPath(manager)).toBe("/desk");
    const supervisor = me([["supervisor", null]], ["directory:read", "patients:read", "presence:write"]);
    expect(screensFor(supervisor)).not.toContain("clinics");
  });

  it("shows the console to nobody else", () => {
    expect(canManage(me([["supervisor", null]], ["directory:read"]))).toBe(false);
    expect(canManage(me([["agent", "a"]], ["directory:read"]))).toBe(false);
    expect(canManage(me([["auditor", null]], ["directory:read", "audit:read"]))).toBe(false);
  });
});

describe("weekly hours as a week of rows", () => {
  const hours = [
    { weekday: 0, opens: "13:00", closes: "17:00" },
    { weekday: 0, opens: "08:00", closes: "12:00" },
    { weekday: 5, opens: "09:00", closes: "12:00" },
  ];

  it("round-trips through the rows, Monday first, each day sorted", () => {
    const week = weekOf(hours);
    expect(week).toHaveLength(7);
    expect(week[0]).toEqual([
      { opens: "08:00", closes: "12:00" },
      { opens: "13:00", closes: "17:00" },
    ]);
    expect(week[6]).toEqual([]);
    expect(hoursOf(week)).toEqual([
      { weekday: 0, opens: "08:00", closes: "12:00" },
      { weekday: 0, opens: "13:00", closes: "17:00" },
      { weekday: 5, opens: "09:00", closes: "12:00" },
    ]);
    expect(positionOf(week, 1)).toEqual([0, 1]);
    expect(positionOf(week, 2)).toEqual([5, 0]);
    expect(positionOf(week, 3)).toBeNull();
  });

  it("finds bad times, closing before opening, and overlaps (24:00 closes a day)", () => {
    const week = weekOf([]);
    week[0] = [
      { opens: "8:00", closes: "12:00" },
      { opens: "09:00", closes: "25:00" },
    ];
    week[1] = [{ opens: "17:00", closes: "08:00" }];
    week[2] = [
      { opens: "08:00", closes: "13:00" },
      { opens: "12:00", closes: "24:00" },
    ];
    expect(Object.fromEntries(weekProblems(week))).toEqual({
      "0.0": "opensFormat",
      "0.1": "closesFormat",
      "1.0": "order",
      "2.1": "overlap",
    });
    expect(weekProblems(weekOf(hours)).size).toBe(0);
  });
});

describe("closures", () => {
  it("lists the coming ones soonest first and the past ones after", () => {
    const closures = [
      { starts_on: "2026-12-24", reason: "b" },
      { starts_on: "2026-11-01", ends_on: "2026-11-02", reason: "past" },
      { starts_on: "2026-12-01", ends_on: "2026-12-05", reason: "now" },
    ];
    const { upcoming, past } = sortClosures(closures, "2026-12-04");
    expect(upcoming.map((c) => c.reason)).toEqual(["now", "b"]);
    expect(past.map((c) => c.reason)).toEqual(["past"]);
  });
});

describe("reminder wording", () => {
  it("lists the placeholders and what the server would refuse", () => {
    expect(placeholdersOf("{clinic}: {date} {time} {{not}} {reply} {date}")).toEqual(["clinic", "date", "time", "reply"]);
    expect(placeholdersOf("{date")).toBeNull();
    expect(placeholdersOf("date}")).toBeNull();
    expect(templateProblems("{date} {time} {reply}")).toEqual([]);
    expect(templateProblems(STANDARD.es.reminder)).toEqual([]);
    expect(templateProblems("{name}: {date} {time}")).toEqual([
      { key: "unknown", names: "{name}" },
      { key: "missing", names: "{reply}" },
    ]);
    expect(templateProblems("  ")).toEqual([{ key: "length" }]);
    expect(templateProblems("{date} {time} {reply} " + "x".repeat(320))).toEqual([{ key: "length" }]);
    expect(templateProblems("{date} {time} {reply} }")).toEqual([{ key: "braces" }]);
  });

  it("warns about placeholders beyond the minimum necessary", () => {
    const plain = { include_type: false, include_prep: false };
    expect(phiWarnings("{clinic} {date} {time} {what} {prep} {reply}", plain)).toEqual([]);
    expect(phiWarnings("{patient_name} {dob} {date}", plain)).toEqual([
      { key: "identity", placeholder: "{patient_name}" },
      { key: "identity", placeholder: "{dob}" },
    ]);
    expect(phiWarnings("{what} {prep}", { include_type: true, include_prep: true })).toEqual([{ key: "visitType" }, { key: "prep" }]);
  });

  it("previews a made-up patient's visit as careline writes it", () => {
    const plan = { include_type: false, include_prep: false, prep_instructions: null, prep_translations: {} };
    const es = fillTemplate(STANDARD.es.reminder, demoValues("es", "Clínica Sol", plan));
    expect(es).toBe(
      "Clínica Sol: le recordamos su cita el jue 10 dic a las 9:30. Responda C para confirmar, R para cambiarla, N para cancelar. STOP para no recibir más.",
    );
    const en = fillTemplate("{clinic}:  {date} at {time} {{ok}}. {reply}", demoValues("en", "Riverside", plan));
    expect(en).toBe("Riverside: Thu Dec 10 at 9:30 AM {ok}. Reply C to confirm, R to reschedule, N to cancel. STOP to end texts.");
    // Sent folded to GSM-7: "Clínica" and "más" lose their accents, so one encoding, GSM-7.
    expect(countSegments(toGsm7(es)).encoding).toBe("GSM-7");
    expect(countSegments(es).encoding).toBe("UCS-2");
  });

  it("fills the visit type and prep only when the plan sends them", () => {
    const plan = { include_type: true, include_prep: true, prep_instructions: "Do not eat.", prep_translations: {} };
    expect(demoValues("en", "X", plan)).toMatchObject({ what: "appointment (Follow-up visit)", prep: " Do not eat." });
    expect(demoValues("es", "X", plan).prep).toBe(` ${STANDARD.es.prepCall}`);
    expect(demoValues("es", "X", { ...plan, prep_translations: { es: "No coma." } }).prep).toBe(" No coma.");
  });
});

describe("which plan applies", () => {
  const plan = (id: string, location_id: string | null, type_code: string | null) =>
    ({ id, location_id, type_code, steps: [], templates: {} }) as unknown as ReminderPlanView;
  const plans = [plan("net", null, null), plan("clinic", "a", null), plan("type", null, "FU"), plan("own", "a", "FU")];

  it("ranks clinic+type, type, clinic, network, default", () => {
    expect(pickPlan(plans, "a", "FU").id).toBe("own");
    expect(pickPlan(plans, "b", "FU").id).toBe("type");
    expect(pickPlan(plans, "a", "NEW").id).toBe("clinic");
    expect(pickPlan(plans, "b", "NEW").id).toBe("net");
    expect(pickPlan(plans, "a", null).id).toBe("clinic");
    expect(pickPlan([], "a", null)).toMatchObject({ id: null, include_type: false });
    expect(planSource(pickPlan(plans, "a", "FU"), "a", "FU")).toBe("own");
    expect(planSource(pickPlan(plans, "b", "FU"), "b", "FU")).toBe("type");
    expect(planSource(pickPlan(plans, "a", "NEW"), "a", "NEW")).toBe("clinic");
    expect(planSource(pickPlan(plans, "b", "NEW"), "b", "NEW")).toBe("network");
    expect(planSource(pickPlan([], "b", "NEW"), "b", "NEW")).toBe("default");
  });

  it("saves the wording for the clinic and type, keeping the rest of the plan in force", () => {
    const body = planBody(
      { ...plan("net", null, null), include_type: true, include_prep: false, no_answer_hours: 12, notify_caregivers: false, updated_at: "x", prep_missing_languages: [] },
      "a",
      "FU",
      { en: "  ", es: " {date} {time} {reply} " },
    );
    expect(body).toEqual({
      location_id: "a",
      type_code: "FU",
      steps: [],
      include_type: true,
      include_prep: false,
      prep_instructions: null,
      prep_translations: {},
      no_answer_hours: 12,
      notify_caregivers: false,
      templates: { es: "{date} {time} {reply}" },
    });
  });

  it("puts the server's problems on the language they are about", () => {
    expect(
      templateFieldErrors([
        { field: "body.templates.es", message: "must include {reply}" },
        { field: "body.steps.0.name", message: "is used twice" },
      ]),
    ).toEqual({ es: ["must include {reply}"], "": ["body.steps.0.name: is used twice"] });
  });
});
