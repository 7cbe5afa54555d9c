import { Badge, Button, Loader, SegmentedControl, Stack, Table, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useTasks } from "../api/queries";
import type { LocationView, Me, TaskView } from "../api/types";
import { ClinicScreen } from "../components/ClinicScreen";
import { ErrorNote } from "../components/ErrorNote";
import { PatientName } from "../components/PatientName";
import { TaskDrawer } from "../components/TaskDrawer";
import {
  TASK_FILTERS,
  type TaskFilter,
  dueClock,
  dueText,
  holderOf,
  isOverdue,
  isRed,
  matchesFilter,
  sortTasks,
} from "../lib/worklist";

/** The front desk's Worklist: every open task of the clinic, most urgent and soonest due first. */
export function WorklistPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <ClinicScreen me={me} title={t("worklist.title")}>
      {(clinic) => <ClinicWorklist key={clinic.id} clinic={clinic} userId={me.user.id} />}
    </ClinicScreen>
  );
}

function ClinicWorklist({ clinic, userId }: { clinic: LocationView; userId: string }) {
  const { t } = useTranslation();
  const tasks = useTasks(clinic.id);
  const [filter, setFilter] = useState<TaskFilter>("all");
  const [openId, setOpenId] = useState<string | null>(null);
  const all = sortTasks(tasks.data?.items ?? []);
  const shown = all.filter((task) => matchesFilter(task, filter, userId));
  const count = (f: TaskFilter) => all.filter((task) => matchesFilter(task, f, userId)).length;

  return (
    <Stack gap="md">
      <SegmentedControl
        aria-label={t("worklist.viewsLabel")}
        value={filter}
        onChange={(value) => { setFilter(value as TaskFilter); }}
        data={TASK_FILTERS.map((f) => ({
          value: f,
          label: tasks.data ? `${t(`worklist.views.${f}`)} (${count(f)})` : t(`worklist.views.${f}`),
        }))}
        w="fit-content"
      />
      {tasks.isPending && <Loader role="status" aria-label={t("common.loading")} />}
      {tasks.error && <ErrorNote error={tasks.error} />}
      {tasks.data && shown.length === 0 && (
        <Text c="dimmed" data-testid="no-tasks">
          {t(`worklist.none.${filter}`)}
        </Text>
      )}
      {shown.length > 0 && (
        <TaskTable tasks={shown} zone={clinic.timezone} userId={userId} onOpen={setOpenId} />
      )}
      <TaskDrawer
        taskId={openId}
        userId={userId}
        zone={clinic.timezone}
        onClose={() => { setOpenId(null); }}
      />
    </Stack>
  );
}

function TaskTable({
  tasks,
  zone,
  userId,
  onOpen,
}: {
  tasks: TaskView[];
  zone: string;
  userId: string;
  onOpen: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <Table striped withTableBorder highlightOnHover aria-label={t("worklist.title")}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t("worklist.columns.urgency")}</Table.Th>
          <Table.Th>{t("worklist.columns.task")}</Table.Th>
          <Table.Th>{t("worklist.columns.patient")}</Table.Th>
          <Table.Th>{t("worklist.columns.due")}</Table.Th>
          <Table.Th>{t("worklist.columns.claimedBy")}</Table.Th>
          <Table.Th>{t("worklist.columns.actions")}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {tasks.map((task) => {
          const due = dueText(task);
          const overdue = isOverdue(task);
          const holder = holderOf(task, userId);
          return (
            <Table.Tr
              key={task.id}
              data-testid="worklist-task"
              data-task-id={task.id}
              data-kind={task.kind}
              data-overdue={overdue ? "true" : "false"}
            >
              <Table.Td>
                <Badge
                  color={isRed(task) ? "red" : "gray"}
                  variant={task.urgency === "emergency" ? "filled" : "light"}
                  data-testid="task-urgency"
                >
                  {t(`urgency.${task.urgency}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text span c={isRed(task) ? "red.9" : undefined} fw={isRed(task) ? 700 : undefined}>
                  {t(`taskKind.${task.kind}`)}
                </Text>
              </Table.Td>
              <Table.Td>
                {task.patient_id ? <PatientName id={task.patient_id} link={false} /> : t("worklist.noPatient")}
              </Table.Td>
              <Table.Td>
                {overdue ? (
                  <Badge color="red" variant="filled" data-testid="task-overdue">
                    {t("worklist.due.overdue", { minutes: due.minutes })}
                  </Badge>
                ) : (
                  <Text span size="sm">
                    {t(`worklist.due.${due.key}`, {
                      minutes: due.minutes,
                      time: dueClock(task.due_at ?? task.created_at, zone, i18n.language),
                    })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td data-testid="task-claimed-by">
                {holder === "me" ? (
                  <Badge variant="light">{t("worklist.you")}</Badge>
                ) : holder === "colleague" ? (
                  task.claimed_by_name
                ) : (
                  <Text span c="dimmed" size="sm">
                    {t("worklist.nobody")}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Button size="compact-sm" variant="default" onClick={() => { onOpen(task.id); }}>
                  {t("worklist.open")}
                </Button>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
