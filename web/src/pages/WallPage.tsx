// The supervisor wall: a clinic's live queues, alerts, agents and today's figures.
// Refreshed by live events (queue and presence invalidate ["wall", ...]) and every
// 10 s as a fallback; waits and times in state tick every second in between.
import "../components/wall.css";
import { Group, Loader, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../api/client";
import type { LocationView, Me } from "../api/types";
import { ClinicScreen } from "../components/ClinicScreen";
import { ErrorNote } from "../components/ErrorNote";
import { WallAgents } from "../components/WallAgents";
import { WallAlerts } from "../components/WallAlerts";
import { WallFigures } from "../components/WallFigures";
import { WallQueues } from "../components/WallQueues";
import { clockOffset, inLine, presenceCounts, type WallView } from "../lib/wall";
import { formatTime } from "../lib/time";

export const wallKey = (locationId: string) => ["wall", locationId] as const;

export function useWall(locationId: string) {
  return useQuery({
    queryKey: wallKey(locationId),
    queryFn: () => api<WallView>("GET", "/api/v1/desk/wall", { query: { location_id: locationId } }),
    refetchInterval: 10_000,
    staleTime: 0,
  });
}

/** Now, in ms, updated every second while the screen is shown. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => {
      setNow(Date.now());
    }, 1000);
    return () => {
      window.clearInterval(timer);
    };
  }, []);
  return now;
}

export function WallPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <ClinicScreen me={me} title={t("wall.title")}>
      {(clinic) => <ClinicWall key={clinic.id} clinic={clinic} />}
    </ClinicScreen>
  );
}

function ClinicWall({ clinic }: { clinic: LocationView }) {
  const { t, i18n } = useTranslation();
  const wall = useWall(clinic.id);
  const now = useNow();
  const data = wall.data;
  // A failed refresh keeps the last figures on screen (marked stale).
  if (!data) return wall.isError ? <ErrorNote error={wall.error} /> : <Loader role="status" aria-label={t("common.loading")} />;
  const offset = clockOffset(data.at, wall.dataUpdatedAt);
  const mine = data.clinics.find((c) => c.location_id === clinic.id);
  const alerts = data.alerts.filter((a) => a.location_id === clinic.id);
  const states = presenceCounts(data.agents);
  const limits = data.wait_limits as Record<string, number | null>;
  return (
    <Stack gap="lg" data-testid="wall" data-clinic={clinic.id}>
      <Group justify="space-between">
        <Text>
          <strong>{clinic.name}</strong> · {t("today.timesIn", { zone: clinic.timezone })}
        </Text>
        <Text size="sm" c="dimmed" aria-live="off" data-testid="wall-updated">
          {t("wall.updated", { time: formatTime(data.at, clinic.timezone, i18n.language) })}
          {wall.isError && ` · ${t("wall.stale")}`}
        </Text>
      </Group>
      <WallAlerts alerts={alerts} now={now} offset={offset} />
      {mine && (
        <>
          <Text size="lg" data-testid="wall-summary">
            {t("wall.summary", {
              inLine: inLine(mine.queues),
              available: states.available ?? 0,
              busy: states.busy ?? 0,
              wrapUp: states.wrap_up ?? 0,
            })}
          </Text>
          <WallQueues queues={mine.queues} limits={limits} now={now} offset={offset} />
          <div className="wall-split">
            <WallAgents agents={data.agents} now={now} offset={offset} />
            <WallFigures figures={mine.figures} targetSeconds={data.service_level_seconds} />
          </div>
        </>
      )}
    </Stack>
  );
}
