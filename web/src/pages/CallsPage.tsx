// The agent desk: presence, calls waiting, the call card, wrap-up. Calls ring on the
// staff member's configured phone; this screen shows what the call is and records how
// it ended. Live "desk" events refetch everything under ["desk"]; polling every 5 s is
// the fallback while calls can arrive.
import { Alert, Badge, Card, Group, Loader, SegmentedControl, Stack, Text, Title } from "@mantine/core";
import { useHotkeys } from "@mantine/hooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError } from "../api/client";
import { useLocations } from "../api/queries";
import type { Me } from "../api/types";
import { CallCard } from "../components/CallCard";
import { ErrorNote } from "../components/ErrorNote";
import { WrapUpForm } from "../components/WrapUpForm";
import {
  type CallCard as CallCardData,
  type DeskView,
  type Disposition,
  deskKeys,
  formatDuration,
  isReadOnly,
  POLL_MS,
  type Presence,
  priorityFlag,
  SETTABLE,
  SHORTCUTS,
  secondsSince,
  shouldPoll,
  waitingByPriority,
  waitingTotal,
  wrapUpBody,
  wrapUpLeft,
} from "../lib/desk";
import "../components/calls.css";

/** The time now, ticking every second (time in state, waits, wrap-up left). */
function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => { setNow(Date.now()); }, everyMs);
    return () => { window.clearInterval(id); };
  }, [everyMs]);
  return now;
}

async function fetchCard(): Promise<CallCardData | null> {
  try {
    return await api<CallCardData>("GET", "/api/v1/desk/me/call");
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null; // no call (any more)
    throw error;
  }
}

export function CallsPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const now = useNow();
  const locations = useLocations();
  const [recorded, setRecorded] = useState<Disposition | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const desk = useQuery({
    queryKey: deskKeys.me,
    queryFn: () => api<DeskView>("GET", "/api/v1/desk/me"),
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 2,
    refetchInterval: (query) => (shouldPoll(query.state.data?.presence) ? POLL_MS : false),
  });
  const view = desk.data;
  const current = view?.current_call ?? null;
  const wrapping = view?.presence === "wrap_up";
  const cardKey = deskKeys.call(current?.entry_id ?? "wrap-up", current?.status ?? view?.presence_since ?? "");
  const card = useQuery({
    // Read once per call and step (ringing, connected, wrap-up): every read is an
    // audited PHI read, and what it shows does not change within a step. Live events
    // and polling refresh the desk; a new step there is a new key here.
    queryKey: cardKey,
    queryFn: () => client.getQueryData<CallCardData>(cardKey) ?? fetchCard(),
    enabled: !!current || wrapping,
    staleTime: Infinity,
    retry: false,
  });

  const settle = (updated: DeskView) => {
    // The card of a call that is over is gone (asking for it again would only be a 404).
    client.removeQueries({ queryKey: deskKeys.cards });
    client.setQueryData(deskKeys.me, updated);
    void client.invalidateQueries({ queryKey: deskKeys.me });
  };
  const presence = useMutation({
    mutationFn: (state: Presence) => api<DeskView>("PUT", "/api/v1/desk/me/presence", { body: { state } }),
    onSuccess: settle,
  });
  const wrapUp = useMutation({
    mutationFn: ({ disposition, note }: { disposition: Disposition; note: string }) =>
      api<DeskView>("POST", "/api/v1/desk/me/wrap-up", { body: wrapUpBody(disposition, note) }),
    onSuccess: (updated, { disposition }) => {
      setRecorded(disposition);
      settle(updated);
    },
  });
  const finish = useMutation({
    mutationFn: () => api<DeskView>("POST", "/api/v1/desk/me/wrap-up/finish"),
    onSuccess: settle,
  });

  const go = (state: Presence) => {
    if (view && !isReadOnly(view.presence) && view.presence !== state) presence.mutate(state);
  };
  const hotkey = { preventDefault: true, usePhysicalKeys: true };
  useHotkeys(
    [
      ["alt+A", () => { go("available"); }, hotkey],
      ["alt+W", () => { go("away"); }, hotkey],
      ["alt+O", () => { go("offline"); }, hotkey],
      ["mod+Enter", () => formRef.current?.requestSubmit(), { preventDefault: true, usePhysicalKeys: false }],
    ],
    [], // also inside the note: Ctrl+Enter is how the note is sent
  );

  const zones = new Map((locations.data?.items ?? []).map((l) => [l.id, l.timezone]));
  const shown = card.data ?? null;
  const zone = (shown?.location_id && zones.get(shown.location_id)) || Intl.DateTimeFormat().resolvedOptions().timeZone;
  const waiting = view ? waitingByPriority(view.waiting_for_me) : [];
  const showForm = !!shown && shown.status === "wrap_up" && !shown.disposition && wrapping;

  return (
    <Stack gap="md" data-user={me.user.id}>
      <Title order={2}>{t("calls.title")}</Title>
      <Text size="sm" c="dimmed">
        {t("calls.intro")}
      </Text>
      <Text size="xs" className="desk-shortcuts" data-testid="shortcuts">
        {t("calls.shortcuts.title")}:{" "}
        {SHORTCUTS.map((s, i) => (
          <span key={s.keys}>
            {i > 0 && " · "}
            <kbd>{s.display}</kbd> {t(s.label)}
          </span>
        ))}
      </Text>
      {desk.isPending && <Loader role="status" aria-label={t("common.loading")} />}
      {desk.error instanceof ApiError && desk.error.errorId === "no-staff-record" ? (
        <Alert color="yellow" data-testid="no-staff-record">
          {t("calls.noStaff")}
        </Alert>
      ) : (
        desk.error && <ErrorNote error={desk.error} />
      )}
      {view && (
        <Group align="flex-start" gap="md" wrap="wrap">
          <Card withBorder padding="md" miw={320} data-testid="presence" data-presence={view.presence}>
            <Stack gap="xs">
              <Text fw={600} id="presence-label">
                {t("calls.presence.label")}
              </Text>
              <SegmentedControl
                aria-labelledby="presence-label"
                data={SETTABLE.map((state) => ({ value: state, label: t(`calls.presence.${state}`) }))}
                value={isReadOnly(view.presence) ? "" : view.presence}
                onChange={(value) => { go(value as Presence); }}
                disabled={isReadOnly(view.presence) || presence.isPending}
              />
              <Group gap="xs">
                <Badge
                  size="lg"
                  variant={view.presence === "available" ? "filled" : "light"}
                  color={view.presence === "available" ? "green" : view.presence === "busy" ? "red" : view.presence === "wrap_up" ? "orange" : "gray"}
                  data-testid="presence-state"
                >
                  {t(`calls.presence.${view.presence}`)}
                </Badge>
                <Text size="sm" data-testid="presence-since">
                  {t("calls.presence.since", { time: formatDuration(secondsSince(view.presence_since, now)) })}
                </Text>
              </Group>
              {isReadOnly(view.presence) && (
                <Text size="xs" c="dimmed">
                  {t("calls.presence.readOnly")}
                </Text>
              )}
              {presence.error && <ErrorNote error={presence.error} title={t("calls.presence.failed")} />}
            </Stack>
          </Card>
          <Card withBorder padding="md" miw={260} data-testid="waiting">
            <Stack gap="xs">
              <Text fw={600}>{t("calls.waiting.title")}</Text>
              {waiting.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t("calls.waiting.none")}
                </Text>
              ) : (
                <>
                  <Text size="sm">{t("calls.waiting.total", { count: waitingTotal(view.waiting_for_me) })}</Text>
                  <Group gap="xs">
                    {waiting.map(({ priority, count }) => {
                      const flag = priorityFlag(priority);
                      return (
                        <Badge key={priority} color={flag.color} variant={flag.alarm ? "filled" : "light"} data-testid={`waiting-${priority}`}>
                          {t(flag.label)}: {count}
                        </Badge>
                      );
                    })}
                  </Group>
                </>
              )}
            </Stack>
          </Card>
        </Group>
      )}
      {card.error && <ErrorNote error={card.error} title={t("calls.card.failed")} />}
      {shown && <CallCard card={shown} zone={zone} now={now} />}
      {showForm && (
        <WrapUpForm
          ref={formRef}
          secondsLeft={wrapUpLeft(shown, now)}
          saving={wrapUp.isPending}
          finishing={finish.isPending}
          error={wrapUp.error ?? finish.error}
          onSubmit={(disposition, note) => { wrapUp.mutate({ disposition, note }); }}
          onFinish={() => { finish.mutate(); }}
        />
      )}
      {recorded && !shown && (
        <Alert color="green" data-testid="wrap-up-done" withCloseButton onClose={() => { setRecorded(null); }}>
          {t("calls.wrapUp.done", { disposition: t(`calls.dispositions.${recorded}`) })}
        </Alert>
      )}
      {view && !current && !wrapping && !shown && (
        <Text c="dimmed" data-testid="no-call">
          {t(`calls.empty.${view.presence === "available" ? "available" : view.presence === "away" ? "away" : "offline"}`)}
        </Text>
      )}
      <span className="visually-hidden" aria-live="polite">
        {shown ? `${t("calls.card.title")}: ${t(priorityFlag(shown.priority).label)}` : ""}
      </span>
    </Stack>
  );
}
