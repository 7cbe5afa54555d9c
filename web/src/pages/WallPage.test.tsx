import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Me } from "../api/types";
import i18n from "../i18n";
import type { WallView } from "../lib/wall";
import { WallPage } from "./WallPage";

const CLINIC = { id: "loc-1", name: "Riverside Family Medicine", timezone: "America/Chicago" };

const ME = {
  permissions: ["directory:read"],
  session_id: "s",
  user: {
    id: "u1",
    username: "supervisor",
    display_name: "Demo supervisor",
    active: true,
    created_at: "2026-01-01T00:00:00Z",
    locked_until: null,
    mfa_enrolled: true,
    mfa_required: true,
    roles: [{ role: "supervisor", location_id: "loc-1" }],
    staff_id: null,
  },
} as unknown as Me;

function wall(waiting: number): WallView {
  const at = new Date().toISOString();
  return {
    at,
    service_level_seconds: 60,
    wait_limits: { emergency: 0, urgent: 120, routine: null },
    alerts: [],
    clinics: [
      {
        location_id: "loc-1",
        name: CLINIC.name,
        timezone: CLINIC.timezone,
        queues: [
          {
            location_id: "loc-1",
            department: "scheduling",
            priority: "routine",
            waiting,
            ringing: 0,
            connected: 0,
            longest_wait_seconds: 5,
            oldest_entered_at: waiting ? at : null,
            offered_today: waiting,
            answered_today: 0,
            abandoned_today: 0,
            service_level_today: null,
          },
        ],
        figures: {
          day: "2026-12-03",
          offered: waiting,
          answered: 0,
          abandoned: 0,
          answered_within_target: 0,
          service_level: null,
          callbacks: 1,
          voicemails: 2,
          hours: [{ hour: 0, offered: waiting, answered: 0, abandoned: 0 }],
        },
      },
    ],
    agents: [
      {
        staff_id: "st1",
        display_name: "Agent Smith",
        title: "Front desk",
        location_ids: ["loc-1"],
        presence: "available",
        presence_since: at,
        seconds_in_state: 0,
        current_call: null,
      },
    ],
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the wall page", () => {
  it("shows the clinic's queues, agents and figures, and refetches when ['wall'] is invalidated", async () => {
    void i18n.changeLanguage("en");
    let waiting = 1;
    const asked: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn((url: string) => {
        asked.push(url);
        const body = url.startsWith("/api/v1/locations")
          ? { items: [CLINIC], total: 1, limit: 200, offset: 0 }
          : wall(waiting);
        return Promise.resolve(
          new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } }),
        );
      }),
    );
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <MantineProvider withCssVariables={false} withGlobalClasses={false}>
        <QueryClientProvider client={client}>
          <WallPage me={ME} />
        </QueryClientProvider>
      </MantineProvider>,
    );
    const tile = await screen.findByRole("group", { name: "Scheduling, Routine" });
    expect(within(tile).getByTestId("wall-waiting")).toHaveTextContent("1");
    expect(asked).toContain("/api/v1/desk/wall?location_id=loc-1");
    expect(screen.getByTestId("wall-agent")).toHaveTextContent("Agent Smith");
    expect(screen.getByTestId("wall-figure-voicemails")).toHaveTextContent("2");
    expect(screen.queryByRole("alert")).toBeNull();

    // A live queue event invalidates every ["wall", ...] key: the count follows.
    waiting = 3;
    await client.invalidateQueries({ queryKey: ["wall"] });
    await waitFor(() => {
      expect(within(tile).getByTestId("wall-waiting")).toHaveTextContent("3");
    });
  });
});
