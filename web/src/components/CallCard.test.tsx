import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import "../i18n";
import type { CallCard as CallCardData } from "../lib/desk";
import { CallCard } from "./CallCard";

const WORDS = "no chest pain but a fever of 104";

function card(over: Partial<CallCardData> = {}): CallCardData {
  return {
    entry_id: "q1",
    status: "offered",
    department: "nurse_triage",
    priority: "urgent",
    language: "en",
    location_id: "loc1",
    entered_at: "2026-12-03T16:00:00Z",
    offered_at: "2026-12-03T16:00:05Z",
    answered_at: null,
    ended_at: null,
    waited_seconds: 5,
    interpreter: false,
    overflow: false,
    phi_withheld: false,
    interaction_id: "i1",
    triage: {
      urgency: "urgent",
      intent: "symptom",
      escalated: true,
      words: WORDS,
      drivers: [
        { start: 3, end: 13, phrase: "chest pain", urgency: "emergency", discounted: true },
        { start: 20, end: 32, phrase: "fever of 104", urgency: "urgent", discounted: false },
      ],
    },
    patient: { patient_id: "p1", verified: false, identified_by: "caller_id" },
    recent: [],
    open_tasks: [],
    wrap_up_ends_at: null,
    disposition: null,
    ...over,
  };
}

function show(data: CallCardData) {
  vi.stubGlobal(
    "fetch",
    vi.fn(() =>
      Promise.resolve(
        new Response(JSON.stringify([{ id: "p1", given_name: "Rosa", family_name: "Example", date_of_birth: "1970-05-05", home_location_id: "loc1" }]), {
          status: 200,
          headers: { "Content-Type": "application/json" },
        }),
      ),
    ),
  );
  render(
    <MantineProvider withCssVariables={false} withGlobalClasses={false}>
      <QueryClientProvider client={new QueryClient()}>
        <MemoryRouter>
          <CallCard card={data} zone="America/Chicago" now={Date.parse("2026-12-03T16:00:30Z")} />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the call card", () => {
  it("marks the words that drove triage and strikes the discounted ones", async () => {
    show(card());
    expect(screen.getByTestId("caller-words")).toHaveTextContent(WORDS);
    expect(screen.getByTestId("driver-word")).toHaveTextContent("fever of 104");
    expect(screen.getByTestId("driver-word").tagName).toBe("MARK");
    expect(screen.getByTestId("discounted-word")).toHaveTextContent("chest pain");
    expect(screen.getByTestId("call-priority")).toHaveTextContent("Urgent");
    expect(screen.getByTestId("call-waited")).toHaveTextContent("0:30"); // still ringing: counts on
    expect(screen.getByTestId("patient-verified")).toHaveAttribute("data-verified", "false");
    const link = await screen.findByRole("link", { name: "Example, Rosa" });
    expect(link).toHaveAttribute("href", "/patients/p1");
  });

  it("shows only the queue when the agent may not read the clinic's patients", () => {
    show(card({ phi_withheld: true, triage: null, patient: null }));
    expect(screen.getByTestId("phi-withheld")).toBeInTheDocument();
    expect(screen.queryByTestId("caller-words")).toBeNull();
    expect(screen.queryByTestId("call-patient")).toBeNull();
    expect(screen.getByTestId("call-department")).toHaveTextContent("Nurse line");
  });

  it("freezes the wait at the answer", () => {
    show(card({ status: "connected", answered_at: "2026-12-03T16:00:09Z", waited_seconds: 9 }));
    expect(screen.getByTestId("call-waited")).toHaveTextContent("0:09");
    expect(screen.getByTestId("call-status")).toHaveTextContent("On the call");
  });
});
