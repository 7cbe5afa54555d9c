import { Badge, Button, Card, Group, Loader, Stack, Table, Text, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api } from "../api/client";
import { keys, useDay, useStaff, useTasks } from "../api/queries";
import type { AppointmentView, LocationView, Me, Page } from "../api/types";
import { ClinicScreen } from "../components/ClinicScreen";
import { ErrorNote } from "../components/ErrorNote";
import { PatientName } from "../components/PatientName";
import { OpenSlots, RescheduleDialog, SlotOffers } from "../components/ScheduleDialogs";
import { type AppointmentAction, appointmentLabel, canReschedule, statusInfo } from "../lib/status";
import { dayIn, formatDay, formatTime } from "../lib/time";
import { summarize } from "../lib/worklist";

export function TodayPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <ClinicScreen me={me} title={t("today.title")}>
      {(clinic) => <ClinicDay clinic={clinic} userId={me.user.id} />}
    </ClinicScreen>
  );
}

function ClinicDay({ clinic, userId }: { clinic: LocationView; userId: string }) {
  const { t, i18n } = useTranslation();
  const day = dayIn(clinic.timezone);
  return (
    <Stack gap="lg">
      <Text data-testid="clinic-day">
        <strong>{clinic.name}</strong> · {formatDay(day, i18n.language)} ·{" "}
        {t("today.timesIn", { zone: clinic.timezone })}
      </Text>
      <Appointments clinic={clinic} day={day} />
      <ClinicOpenSlots clinic={clinic} day={day} />
      <WorklistSummary clinic={clinic} userId={userId} />
    </Stack>
  );
}

function Appointments({ clinic, day }: { clinic: LocationView; day: string }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const appointments = useDay(clinic.id, day);
  const staff = useStaff(clinic.id);
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: AppointmentAction }) =>
      api<AppointmentView>("POST", `/api/v1/appointments/${encodeURIComponent(id)}/${action}`),
    onSuccess: (updated) => {
      client.setQueryData<Page<AppointmentView>>(keys.day(clinic.id, day), (page) =>
        page && { ...page, items: page.items.map((a) => (a.id === updated.id ? updated : a)) },
      );
      void client.invalidateQueries({ queryKey: keys.day(clinic.id, day) });
    },
  });

  const names = new Map((staff.data?.items ?? []).map((s) => [s.id, s.display_name]));
  const [moving, setMoving] = useState<AppointmentView | null>(null);
  const groups = new Map<string, AppointmentView[]>();
  for (const a of [...(appointments.data?.items ?? [])].sort((x, y) => x.start.localeCompare(y.start))) {
    groups.set(a.staff_id, [...(groups.get(a.staff_id) ?? []), a]);
  }
  const providers = [...groups.keys()].sort((a, b) =>
    (names.get(a) ?? "").localeCompare(names.get(b) ?? ""),
  );

  return (
    <section aria-labelledby="appointments-title">
      <Stack gap="sm">
        <Title order={3} id="appointments-title">
          {t("today.appointments")}
          {appointments.data && ` (${appointments.data.total})`}
        </Title>
        {appointments.isPending && <Loader role="status" aria-label={t("common.loading")} />}
        {appointments.error && <ErrorNote error={appointments.error} />}
        {act.error && <ErrorNote error={act.error} title={t("today.actionFailed")} />}
        {appointments.data?.items.length === 0 && (
          <Text c="dimmed" data-testid="no-appointments">
            {t("today.noAppointments", { clinic: clinic.name })}
          </Text>
        )}
        {providers.map((providerId) => (
          <Card key={providerId} withBorder padding="sm">
            <Title order={4} mb="xs">
              {names.get(providerId) ?? t("today.unknownProvider")}
            </Title>
            <Table aria-label={names.get(providerId) ?? t("today.unknownProvider")}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("today.time")}</Table.Th>
                  <Table.Th>{t("today.patient")}</Table.Th>
                  <Table.Th>{t("today.type")}</Table.Th>
                  <Table.Th>{t("today.status")}</Table.Th>
                  <Table.Th>{t("today.actions")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(groups.get(providerId) ?? []).map((a) => {
                  const info = statusInfo(a.status);
                  return (
                    <Table.Tr key={a.id} data-testid="appointment" data-appointment-id={a.id}>
                      <Table.Td>{formatTime(a.start, clinic.timezone, i18n.language)}</Table.Td>
                      <Table.Td>
                        <PatientName id={a.patient_id} />
                      </Table.Td>
                      <Table.Td>{a.appointment_type.display}</Table.Td>
                      <Table.Td>
                        <Badge color={info.color} variant="light" data-testid="appointment-status">
                          {t(appointmentLabel(a))}
                        </Badge>
                        {a.status === "cancelled" && a.slot_id && <SlotOffers slotId={a.slot_id} />}
                      </Table.Td>
                      <Table.Td>
                        <Group gap="xs">
                          {info.actions.map((action) => (
                            <Button
                              key={action}
                              size="compact-sm"
                              variant={action === "arrived" ? "filled" : "default"}
                              loading={act.isPending && act.variables.id === a.id && act.variables.action === action}
                              onClick={() => { act.mutate({ id: a.id, action }); }}
                            >
                              {t(`today.action.${action}`)}
                            </Button>
                          ))}
                          {canReschedule(a.status) && (
                            <Button size="compact-sm" variant="default" onClick={() => { setMoving(a); }}>
                              {t("schedule.reschedule")}
                            </Button>
                          )}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Card>
        ))}
      </Stack>
      <RescheduleDialog
        appointment={moving}
        clinic={clinic}
        providerNames={names}
        onClose={() => { setMoving(null); }}
      />
    </section>
  );
}

/** Today's free slots, bookable from here. */
function ClinicOpenSlots({ clinic, day }: { clinic: LocationView; day: string }) {
  const staff = useStaff(clinic.id);
  const names = new Map((staff.data?.items ?? []).map((s) => [s.id, s.display_name]));
  return <OpenSlots clinic={clinic} day={day} providerNames={names} />;
}

/** The clinic's open tasks in one line, and the way to the Worklist where they are worked. */
function WorklistSummary({ clinic, userId }: { clinic: LocationView; userId: string }) {
  const { t } = useTranslation();
  const tasks = useTasks(clinic.id);
  const summary = summarize(tasks.data?.items ?? [], userId);
  return (
    <section aria-labelledby="tasks-title">
      <Stack gap="sm">
        <Title order={3} id="tasks-title">
          {t("worklist.today.title")}
        </Title>
        {tasks.isPending && <Loader role="status" aria-label={t("common.loading")} />}
        {tasks.error && <ErrorNote error={tasks.error} />}
        {tasks.data && (
          <Group gap="md" data-testid="worklist-summary">
            <Text c={summary.overdue > 0 ? "red.9" : undefined} fw={summary.overdue > 0 ? 600 : undefined}>
              {summary.open === 0 ? t("worklist.today.none") : t("worklist.today.summary", { ...summary })}
            </Text>
            <Button component={Link} to="/worklist" variant="light" size="compact-md">
              {t("worklist.today.link")}
            </Button>
          </Group>
        )}
      </Stack>
    </section>
  );
}
