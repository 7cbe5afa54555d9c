import { MantineProvider } from "@mantine/core";
import { render, screen, within } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";
import i18n from "../i18n";
import type { WallAlert, WallQueue } from "../lib/wall";
import { WallAlerts } from "./WallAlerts";
import { WallQueues } from "./WallQueues";

const NOW = Date.parse("2026-12-03T16:00:00Z");
const LIMITS = { emergency: 0, urgent: 120, routine: null };

function queue(over: Partial<WallQueue>): WallQueue {
  return {
    location_id: "loc",
    department: "scheduling",
    priority: "routine",
    waiting: 0,
    ringing: 0,
    connected: 0,
    longest_wait_seconds: 0,
    oldest_entered_at: null,
    offered_today: 0,
    answered_today: 0,
    abandoned_today: 0,
    service_level_today: null,
    ...over,
  };
}

function show(node: ReactNode) {
  void i18n.changeLanguage("en");
  return render(
    <MantineProvider withCssVariables={false} withGlobalClasses={false}>
      {node}
    </MantineProvider>,
  );
}

describe("queue tiles", () => {
  it("show who waits and tick the longest wait from its timestamp", () => {
    const urgent = queue({
      department: "nurse_triage",
      priority: "urgent",
      waiting: 2,
      oldest_entered_at: "2026-12-03T15:58:10Z",
      offered_today: 4,
      service_level_today: 0.5,
    });
    const { rerender } = show(<WallQueues queues={[urgent]} limits={LIMITS} now={NOW - 15_000} offset={0} />);
    const tile = screen.getByRole("group", { name: "Nurse triage, Urgent" });
    expect(within(tile).getByTestId("wall-waiting")).toHaveTextContent("2");
    expect(within(tile).getByTestId("wall-longest")).toHaveTextContent("1:35");
    expect(tile).toHaveAttribute("data-alarm", "false");
    expect(tile).toHaveTextContent("Today: 4 offered, service level 50%");
    // Fifteen seconds later the caller has waited 1:50... then past two minutes: an alarm.
    rerender(
      <MantineProvider withCssVariables={false} withGlobalClasses={false}>
        <WallQueues queues={[urgent]} limits={LIMITS} now={NOW} offset={0} />
      </MantineProvider>,
    );
    expect(within(tile).getByTestId("wall-longest")).toHaveTextContent("1:50");
    rerender(
      <MantineProvider withCssVariables={false} withGlobalClasses={false}>
        <WallQueues queues={[urgent]} limits={LIMITS} now={NOW + 10_000} offset={0} />
      </MantineProvider>,
    );
    expect(within(tile).getByTestId("wall-longest")).toHaveTextContent("2:00");
    expect(tile).toHaveAttribute("data-alarm", "true");
    expect(tile).toHaveTextContent("past its limit");
  });

  it("say so when no call came in today", () => {
    show(<WallQueues queues={[]} limits={LIMITS} now={NOW} offset={0} />);
    expect(screen.getByTestId("wall-no-queues")).toHaveTextContent("No calls in the queues today");
  });

  it("never alarm for routine callers, however long they wait", () => {
    const routine = queue({ waiting: 1, oldest_entered_at: "2026-12-03T10:00:00Z" });
    show(<WallQueues queues={[routine]} limits={LIMITS} now={NOW} offset={0} />);
    expect(screen.getByTestId("wall-queue")).toHaveAttribute("data-alarm", "false");
    expect(screen.getByTestId("wall-longest")).toHaveTextContent("6:00:00");
  });
});

describe("the alerts strip", () => {
  const alert: WallAlert = {
    entry_id: "e1",
    location_id: "loc",
    department: "nurse_triage",
    priority: "emergency",
    status: "waiting",
    entered_at: "2026-12-03T15:59:30Z",
    waited_seconds: 30,
    limit_seconds: 0,
  };
  it("names each caller past the limit, waiting time ticking", () => {
    show(<WallAlerts alerts={[alert]} now={NOW} offset={0} />);
    const strip = screen.getByRole("alert");
    expect(strip).toHaveTextContent("1 caller waiting too long");
    expect(within(strip).getByTestId("wall-alert")).toHaveTextContent(
      "Emergency caller in Nurse triage waiting 0:30 (limit 0:00)",
    );
  });
  it("is not shown when nobody waits too long", () => {
    show(<WallAlerts alerts={[]} now={NOW} offset={0} />);
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
