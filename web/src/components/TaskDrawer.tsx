import { Alert, Badge, Button, Drawer, Group, Loader, Paper, Stack, Text, Textarea, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { ApiError, api } from "../api/client";
import type { AppointmentStatus, InteractionView, OutboundMessageView, PatientLink, StaffMessage } from "../api/types";
import { heldUntil } from "../lib/inbox";
import { statusInfo } from "../lib/status";
import { formatDateTime } from "../lib/time";
import { canText, dueClock, dueText, holderOf, isOverdue, isRed, needsAttach } from "../lib/worklist";
import { ErrorNote } from "./ErrorNote";
import { PatientName } from "./PatientName";
import { type TaskDetail, taskKeys, useCallBack, useTaskAction, useTaskDetail } from "./TaskQueries";

function newKey(): string {
  return crypto.randomUUID();
}

/** One task, opened from the Worklist: what is needed to act, and the actions. */
export function TaskDrawer({
  taskId,
  userId,
  zone,
  onClose,
}: {
  taskId: string | null;
  userId: string;
  zone: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const detail = useTaskDetail(taskId);
  return (
    <Drawer
      opened={taskId !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={detail.data ? t(`taskKind.${detail.data.kind}`) : t("worklist.detail.title")}
      transitionProps={{ duration: 0 }}
      // Scroll locking injects a <style> element, which the CSP refuses.
      lockScroll={false}
      closeButtonProps={{ "aria-label": t("common.close") }}
    >
      {detail.isPending && taskId && <Loader role="status" aria-label={t("common.loading")} />}
      {detail.error && <ErrorNote error={detail.error} />}
      {detail.data && (
        <TaskBody key={detail.data.id} task={detail.data} userId={userId} zone={zone} onResolved={onClose} />
      )}
    </Drawer>
  );
}

function TaskBody({
  task,
  userId,
  zone,
  onResolved,
}: {
  task: TaskDetail;
  userId: string;
  zone: string;
  onResolved: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [note, setNote] = useState("");
  const act = useTaskAction((_task, action) => {
    if (action.action === "done") onResolved();
  });
  const holder = holderOf(task, userId);
  const due = dueText(task);
  const overdue = isOverdue(task);
  const open = task.status === "open";

  return (
    <Stack gap="md" data-testid="task-detail" data-task-id={task.id}>
      <Group gap="xs">
        <Badge color={isRed(task) ? "red" : "gray"} variant={task.urgency === "emergency" ? "filled" : "light"}>
          {t(`urgency.${task.urgency}`)}
        </Badge>
        <Badge color={overdue ? "red" : "blue"} variant="light" data-testid="task-due">
          {t(`worklist.due.${due.key}`, {
            minutes: due.minutes,
            time: dueClock(task.due_at ?? task.created_at, zone, i18n.language),
          })}
        </Badge>
      </Group>
      <Text>{t(`taskHelp.${task.kind}`)}</Text>
      <Text size="sm" c="dimmed">
        {t("worklist.detail.created", { time: formatDateTime(task.created_at, zone, i18n.language) })}
      </Text>

      <section aria-label={t("worklist.detail.who")}>
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            {t("worklist.columns.patient")}
          </Text>
          {task.patient_id ? (
            <Group gap="sm">
              <Text data-testid="task-patient">
                <PatientName id={task.patient_id} link={false} />
              </Text>
              <Button
                component={Link}
                to={`/patients/${encodeURIComponent(task.patient_id)}`}
                variant="subtle"
                size="compact-sm"
              >
                {t("worklist.detail.openPatient")}
              </Button>
            </Group>
          ) : (
            <Text c="dimmed">{t("worklist.noPatient")}</Text>
          )}
          <Text size="sm" fw={600} mt="xs">
            {t("worklist.detail.number")}
          </Text>
          {task.caller_number ? (
            <>
              <Text data-testid="task-number">
                <a href={`tel:${task.caller_number}`}>{task.caller_number}</a>{" "}
                <Text span size="sm" c="dimmed">
                  ({t(`worklist.detail.numberFrom.${task.number_source ?? "patient"}`)})
                </Text>
              </Text>
              {open && <CallBack taskId={task.id} />}
            </>
          ) : (
            <Text c="dimmed">{t("worklist.detail.noNumber")}</Text>
          )}
        </Stack>
      </section>

      {(task.transcript || task.message || task.has_recording) && (
        <section aria-label={t("worklist.detail.words")}>
          <Stack gap={4}>
            {task.transcript && (
              <>
                <Text size="sm" fw={600}>
                  {t("worklist.detail.transcript")}
                </Text>
                <Paper withBorder p="xs" data-testid="task-transcript">
                  <Text>{task.transcript}</Text>
                </Paper>
              </>
            )}
            {task.message && (
              <>
                <Text size="sm" fw={600}>
                  {t("worklist.detail.message")}
                </Text>
                <Paper withBorder p="xs" data-testid="task-message">
                  <Text>{task.message}</Text>
                </Paper>
              </>
            )}
            {task.has_recording && (
              <Text size="sm" c="dimmed">
                {t("worklist.detail.recording")}
              </Text>
            )}
          </Stack>
        </section>
      )}

      <section aria-label={t("worklist.detail.appointment")}>
        <Text size="sm" fw={600}>
          {t("worklist.detail.appointment")}
        </Text>
        {task.appointment ? (
          <Text data-testid="task-appointment">
            {formatDateTime(task.appointment.start, zone, i18n.language)} · {task.appointment.type_display} ·{" "}
            {t("worklist.detail.with", { name: task.appointment.provider_name ?? "—" })} ·{" "}
            <Badge variant="light" color={statusInfo(task.appointment.status as AppointmentStatus).color}>
              {t(statusInfo(task.appointment.status as AppointmentStatus).label)}
            </Badge>
          </Text>
        ) : (
          <Text c="dimmed">{t("worklist.detail.noAppointment")}</Text>
        )}
      </section>

      {needsAttach(task) && task.interaction_id && (
        <Candidates interactionId={task.interaction_id} candidates={task.candidates} />
      )}

      <section aria-label={t("worklist.detail.claim")}>
        <Group gap="sm">
          <Text data-testid="task-holder">
            {holder === "me"
              ? t("worklist.detail.claimedByYou")
              : holder === "colleague"
                ? t("worklist.detail.claimedBy", { name: task.claimed_by_name ?? "" })
                : t("worklist.detail.unclaimed")}
          </Text>
          {open && holder === "nobody" && (
            <Button
              size="compact-md"
              loading={act.isPending && act.variables.action === "claim"}
              onClick={() => { act.mutate({ id: task.id, action: "claim" }); }}
            >
              {t("worklist.actions.claim")}
            </Button>
          )}
          {open && holder === "me" && (
            <Button
              size="compact-md"
              variant="default"
              loading={act.isPending && act.variables.action === "release"}
              onClick={() => { act.mutate({ id: task.id, action: "release" }); }}
            >
              {t("worklist.actions.release")}
            </Button>
          )}
        </Group>
      </section>

      {open && canText(task) && <TextPatient patientId={task.patient_id} />}

      {open && (
        <form
          aria-label={t("worklist.resolve.form")}
          onSubmit={(event) => {
            event.preventDefault();
            if (!act.isPending) act.mutate({ id: task.id, action: "done", note });
          }}
        >
          <Stack gap="xs">
            <Textarea
              label={task.patient_id ? t("worklist.resolve.label") : t("worklist.resolve.labelNoPatient")}
              name="note"
              autosize
              minRows={2}
              maxLength={2000}
              value={note}
              onChange={(e) => { setNote(e.currentTarget.value); }}
            />
            <Group>
              <Button type="submit" loading={act.isPending && act.variables.action === "done"}>
                {t("worklist.resolve.button")}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {act.error && <ErrorNote error={act.error} title={t("worklist.actions.failed")} />}
    </Stack>
  );
}

function TextPatient({ patientId }: { patientId: string }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  // One key per composed message: a retry or a double click of the same text sends once.
  const [draft, setDraft] = useState(() => ({ text: "", key: newKey() }));
  const send = useMutation({
    mutationFn: ({ body, key }: { body: string; key: string }) =>
      api<OutboundMessageView>("POST", `/api/v1/patients/${encodeURIComponent(patientId)}/messages`, {
        body: { body, respect_quiet_hours: true } satisfies StaffMessage,
        headers: { "Idempotency-Key": key },
      }),
    onSuccess: () => {
      setDraft({ text: "", key: newKey() });
      void client.invalidateQueries({ queryKey: ["timeline", patientId] });
      void client.invalidateQueries({ queryKey: ["conversations"] });
    },
  });
  const held = send.data ? heldUntil(send.data) : null;
  return (
    <form
      aria-label={t("worklist.text.form")}
      onSubmit={(event) => {
        event.preventDefault();
        const body = draft.text.trim();
        if (body && !send.isPending) send.mutate({ body, key: draft.key });
      }}
    >
      <Stack gap="xs">
        <Textarea
          label={t("worklist.text.label")}
          name="text"
          autosize
          minRows={2}
          maxLength={1600}
          value={draft.text}
          onChange={(e) => {
            setDraft({ text: e.currentTarget.value, key: newKey() });
            if (send.error || send.data) send.reset();
          }}
        />
        <Group>
          <Button type="submit" variant="default" disabled={!draft.text.trim()} loading={send.isPending}>
            {t("worklist.text.send")}
          </Button>
        </Group>
        {send.data && (
          <Alert color={held ? "orange" : "green"} role="status" data-testid="task-text-sent">
            {held
              ? t("worklist.text.held", { time: formatDateTime(held, send.data.recipient_tz ?? "UTC", i18n.language) })
              : t("worklist.text.sent")}
          </Alert>
        )}
        {send.error && <ErrorNote error={send.error} title={t("worklist.text.failed")} />}
      </Stack>
    </form>
  );
}

function Candidates({ interactionId, candidates }: { interactionId: string; candidates: string[] }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const attach = useMutation({
    mutationFn: (patientId: string) =>
      api<InteractionView>("POST", `/api/v1/interactions/${encodeURIComponent(interactionId)}/patient`, {
        body: { patient_id: patientId } satisfies PatientLink,
      }),
    onSuccess: (_interaction, patientId) => {
      void client.invalidateQueries({ queryKey: ["timeline", patientId] });
      void client.invalidateQueries({ queryKey: ["conversations"] });
      void client.invalidateQueries({ queryKey: taskKeys.all });
    },
  });
  return (
    <section aria-labelledby="candidates-title">
      <Title order={4} id="candidates-title" size="sm">
        {t("worklist.candidates.title")}
      </Title>
      <Stack gap={4} mt={4}>
        {candidates.map((id) => (
          <Group key={id} gap="sm" data-testid="task-candidate">
            <PatientName id={id} link={false} />
            <Button
              size="compact-sm"
              variant="default"
              disabled={attach.isSuccess}
              loading={attach.isPending && attach.variables === id}
              onClick={() => { attach.mutate(id); }}
            >
              {attach.isSuccess && attach.variables === id ? t("worklist.candidates.attached") : t("worklist.candidates.attach")}
            </Button>
          </Group>
        ))}
        {attach.error && <ErrorNote error={attach.error} />}
      </Stack>
    </section>
  );
}

const CALL_BACK_ERRORS = new Set(["no-staff-phone", "no-clinic-number", "no-number-to-call", "call-not-placed"]);

/** Call back through the clinic's number: careline rings the user's own phone, then
 * connects them to the patient with the clinic's number as the caller id. */
function CallBack({ taskId }: { taskId: string }) {
  const { t } = useTranslation();
  const call = useCallBack();
  const known = call.error instanceof ApiError && CALL_BACK_ERRORS.has(call.error.errorId);
  return (
    <Stack gap={4} mt={4}>
      <Group gap="sm">
        <Button
          size="xs"
          loading={call.isPending}
          onClick={() => {
            call.mutate(taskId);
          }}
        >
          {t("worklist.callBack.button")}
        </Button>
        <Text size="xs" c="dimmed">
          {t("worklist.callBack.how")}
        </Text>
      </Group>
      {call.data && (
        <Alert color="green" role="status" data-testid="call-back-ringing">
          {t("worklist.callBack.ringing", { phone: call.data.ringing })}
        </Alert>
      )}
      {call.error &&
        (known && call.error instanceof ApiError ? (
          <Alert color="red" role="alert" title={t("worklist.callBack.failed")}>
            {t(`worklist.callBack.errors.${call.error.errorId}`)}
          </Alert>
        ) : (
          <ErrorNote error={call.error} title={t("worklist.callBack.failed")} />
        ))}
    </Stack>
  );
}
