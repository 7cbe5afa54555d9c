import { MantineProvider } from "@mantine/core";
import { render, screen, within } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import i18n from "../../i18n";
import type { ReminderPlanView } from "../../lib/manager";
import { TemplateEditor } from "./TemplateEditor";

const PLAN = { id: null, steps: [], include_type: true, include_prep: false, no_answer_hours: 24, notify_caregivers: true } as ReminderPlanView;

function Editor({ initial, errors = [] }: { initial: string; errors?: string[] }) {
  const [value, setValue] = useState(initial);
  return <TemplateEditor lang="es" value={value} onChange={setValue} plan={PLAN} clinicName="Clínica Sol" serverErrors={errors} />;
}

function show(initial: string, errors: string[] = []) {
  void i18n.changeLanguage("en");
  return render(
    <MantineProvider withCssVariables={false} withGlobalClasses={false}>
      <Editor initial={initial} errors={errors} />
    </MantineProvider>,
  );
}

describe("one language's reminder wording", () => {
  it("previews the made-up patient as sent, folded to GSM-7, with its segments", () => {
    show("{clinic}: su {what} es el {date} a las {time}. {reply}");
    const box = screen.getByTestId("manager-template-es");
    expect(within(box).getByTestId("manager-template-preview").textContent).toBe(
      "Clinica Sol: su cita (Follow-up visit) es el jue 10 dic a las 9:30. Responda C para confirmar, R para cambiarla, N para cancelar. STOP para no recibir mas.",
    );
    const counter = within(box).getByTestId("manager-segments");
    expect(counter.dataset.encoding).toBe("GSM-7");
    expect(within(box).getByText(/í → i, á → a/)).toBeInTheDocument();
    // {what} carries the visit type in this plan: more than the minimum necessary.
    expect(within(box).getByTestId("manager-phi-warning").textContent).toContain("visit type");
  });

  it("says what the server would refuse, and shows the server's own problems", () => {
    show("{name}: {date}", ["must be 1 to 320 characters"]);
    const errors = screen.getByTestId("manager-template-errors").textContent ?? "";
    expect(errors).toContain("Not a placeholder careline knows: {name}.");
    expect(errors).toContain("Must include {time}, {reply}.");
    expect(errors).toContain("must be 1 to 320 characters");
    expect(screen.getByLabelText("Wording in Spanish")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("manager-phi-warning").textContent).toContain("{name}");
  });

  it("shows the standard wording when the field is empty", () => {
    show("");
    expect(screen.getByTestId("manager-template-preview").textContent).toMatch(/^Clinica Sol: le recordamos su cita \(Follow-up visit\) el jue 10 dic/);
    expect(screen.queryByTestId("manager-template-errors")).toBeNull();
  });
});
