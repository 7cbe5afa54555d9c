import {
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Modal,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api } from "../api/client";
import { keys, useDay, useStaff, useTasks } from "../api/queries";
import type { AppointmentView, LocationView, Me, Page, TaskView } from "../api/types";
import { ClinicScreen } from "../components/ClinicScreen";
import { ErrorNote } from "../components/ErrorNote";
import { PatientName } from "../components/PatientName";
import { type AppointmentAction, statusInfo, urgencyColor } from "../lib/status";
import { dayIn, formatDateTime, formatDay, formatTime } from "../lib/time";

export function TodayPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <ClinicScreen me={me} title={t("today.title")}>
      {(clinic) => <ClinicDay clinic={clinic} />}
    </ClinicScreen>
  );
}

function ClinicDay({ clinic }: { clinic: LocationView }) {
  const { t, i18n } = useTranslation();
  const day = dayIn(clinic.timezone);
  return (
    <Stack gap="lg">
      <Text data-testid="clinic-day">
        <strong>{clinic.name}</strong> · {formatDay(day, i18n.language)} ·{" "}
        {t("today.timesIn", { zone: clinic.timezone })}
      </Text>
      <Appointments clinic={clinic} day={day} />
      <Tasks clinic={clinic} />
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
        {appointments.isPending && <Loader aria-label={t("common.loading")} />}
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
                          {t(info.label)}
                        </Badge>
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
    </section>
  );
}

function Tasks({ clinic }: { clinic: LocationView }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const tasks = useTasks(clinic.id);
  const [open, setOpen] = useState<TaskView | null>(null);
  const done = useMutation({
    mutationFn: (id: string) =>
      api<TaskView>("POST", `/api/v1/tasks/${encodeURIComponent(id)}/done`),
    onSuccess: (finished) => {
      client.setQueryData<Page<TaskView>>(keys.tasks(clinic.id), (page) =>
        page && {
          ...page,
          total: page.total - 1,
          items: page.items.filter((x) => x.id !== finished.id),
        },
      );
      setOpen(null);
      void client.invalidateQueries({ queryKey: keys.tasks(clinic.id) });
    },
  });

  return (
    <section aria-labelledby="tasks-title">
      <Stack gap="sm">
        <Title order={3} id="tasks-title">
          {t("tasks.title")}
          {tasks.data && ` (${tasks.data.total})`}
        </Title>
        {tasks.isPending && <Loader aria-label={t("common.loading")} />}
        {tasks.error && <ErrorNote error={tasks.error} />}
        {done.error && <ErrorNote error={done.error} title={t("tasks.doneFailed")} />}
        {tasks.data?.items.length === 0 && (
          <Text c="dimmed" data-testid="no-tasks">
            {t("tasks.none")}
          </Text>
        )}
        {tasks.data && tasks.data.items.length > 0 && (
          <Table striped withTableBorder aria-label={t("tasks.title")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("tasks.urgency")}</Table.Th>
                <Table.Th>{t("tasks.what")}</Table.Th>
                <Table.Th>{t("tasks.patient")}</Table.Th>
                <Table.Th>{t("tasks.since")}</Table.Th>
                <Table.Th>{t("tasks.actions")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tasks.data.items.map((task) => (
                <Table.Tr key={task.id} data-testid="task" data-task-id={task.id}>
                  <Table.Td>
                    <Badge color={urgencyColor(task.urgency)} variant="light">
                      {t(`urgency.${task.urgency}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{t(`taskKind.${task.kind}`)}</Table.Td>
                  <Table.Td>
                    {task.patient_id ? <PatientName id={task.patient_id} /> : t("tasks.noPatient")}
                  </Table.Td>
                  <Table.Td>{formatDateTime(task.created_at, clinic.timezone, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Group gap="xs">
                      <Button size="compact-sm" variant="default" onClick={() => { setOpen(task); }}>
                        {t("tasks.open")}
                      </Button>
                      <Button
                        size="compact-sm"
                        loading={done.isPending && done.variables === task.id}
                        onClick={() => { done.mutate(task.id); }}
                      >
                        {t("tasks.done")}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
      <Modal
        opened={open !== null}
        onClose={() => { setOpen(null); }}
        title={open ? t(`taskKind.${open.kind}`) : ""}
        transitionProps={{ duration: 0 }}
        // Scroll locking injects a <style> element, which the CSP refuses.
        lockScroll={false}
        closeButtonProps={{ "aria-label": t("common.close") }}
      >
        {open && (
          <Stack gap="sm" data-testid="task-detail">
            <Text>
              <Badge color={urgencyColor(open.urgency)} variant="light">
                {t(`urgency.${open.urgency}`)}
              </Badge>{" "}
              {t(`taskHelp.${open.kind}`)}
            </Text>
            <Text size="sm">
              {t("tasks.since")}: {formatDateTime(open.created_at, clinic.timezone, i18n.language)}
            </Text>
            {open.patient_id && (
              <Text size="sm">
                {t("tasks.patient")}: <PatientName id={open.patient_id} link={false} />
              </Text>
            )}
            {open.candidates.length > 0 && (
              <Text size="sm">{t("tasks.candidates", { count: open.candidates.length })}</Text>
            )}
            <Group justify="flex-end">
              {open.patient_id && (
                <Button component={Link} to={`/patients/${encodeURIComponent(open.patient_id)}`} variant="default">
                  {t("tasks.openPatient")}
                </Button>
              )}
              <Button loading={done.isPending} onClick={() => { done.mutate(open.id); }}>
                {t("tasks.markDone")}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </section>
  );
}
