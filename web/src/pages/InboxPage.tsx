import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Stack,
  Tabs,
  Text,
  Textarea,
  Title,
  UnstyledButton,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { ApiError } from "../api/client";
import { api } from "../api/client";
import { INBOX_VIEWS, type InboxView, keys, useConversations, usePatient, useSmsThread } from "../api/queries";
import type {
  Conversation,
  ConversationAssignee,
  InteractionView,
  LocationView,
  Me,
  OutboundMessageView,
  PatientLink,
  StaffMessage,
} from "../api/types";
import { ClinicScreen } from "../components/ClinicScreen";
import { ErrorNote } from "../components/ErrorNote";
import { conversationFlag, heldUntil, sortConversations, threadOf } from "../lib/inbox";
import { formatDateTime } from "../lib/time";
import { PatientFinder } from "./PatientsPage";

/** Canned replies (catalog keys under inbox.templates). */
const TEMPLATES = ["callUs", "formsReady", "received", "appointment"] as const;

function newKey(): string {
  return crypto.randomUUID();
}

export function InboxPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <ClinicScreen me={me} title={t("inbox.title")}>
      {(clinic, locations) => (
        <ClinicInbox key={clinic.id} clinic={clinic} zones={new Map(locations.map((l) => [l.id, l.timezone]))} />
      )}
    </ClinicScreen>
  );
}

function ClinicInbox({ clinic, zones }: { clinic: LocationView; zones: Map<string, string> }) {
  const { t } = useTranslation();
  const [view, setView] = useState<InboxView>("needs_reply");
  // The conversation as it was when opened: it stays open after a reply takes it off "Needs reply".
  const [selected, setSelected] = useState<Conversation | null>(null);
  const [attached, setAttached] = useState<string | null>(null);
  const zoneOf = (locationId: string | null) => (locationId && zones.get(locationId)) || clinic.timezone;

  return (
    <Stack gap="md">
      <Text data-testid="inbox-clinic">
        <strong>{clinic.name}</strong> · {t("today.timesIn", { zone: clinic.timezone })}
      </Text>
      <div className="inbox">
        <section className="inbox-list" aria-labelledby="conversations-title">
          <Title order={3} id="conversations-title" className="visually-hidden">
            {t("inbox.conversations")}
          </Title>
          <Tabs
            value={view}
            onChange={(value) => {
              const next = INBOX_VIEWS.find((v) => v === value);
              if (next) setView(next);
            }}
          >
            <Tabs.List>
              {INBOX_VIEWS.map((v) => (
                <Tabs.Tab key={v} value={v}>
                  {t(`inbox.tabs.${v}`)}
                </Tabs.Tab>
              ))}
            </Tabs.List>
            {INBOX_VIEWS.map((v) => (
              <Tabs.Panel key={v} value={v} pt="sm">
                {view === v && (
                  <ConversationList
                    view={v}
                    clinic={clinic}
                    zoneOf={zoneOf}
                    selectedKey={selected?.key ?? null}
                    onSelect={(c) => { setSelected(c); setAttached(null); }}
                  />
                )}
              </Tabs.Panel>
            ))}
          </Tabs>
        </section>
        <section className="inbox-thread" aria-labelledby="thread-title">
          {attached && (
            <Alert color="green" mb="sm" data-testid="attached">
              {t("inbox.attach.done")}{" "}
              <Anchor component={Link} to={`/patients/${encodeURIComponent(attached)}`}>
                {t("inbox.openPatient")}
              </Anchor>
            </Alert>
          )}
          {!selected && (
            <Text c="dimmed" id="thread-title" data-testid="no-selection">
              {t("inbox.choose")}
            </Text>
          )}
          {selected?.patient_id && (
            <PatientThread key={selected.key} conversation={selected} patientId={selected.patient_id} zoneOf={zoneOf} />
          )}
          {selected && !selected.patient_id && (
            <UnknownThread
              key={selected.key}
              conversation={selected}
              zone={zoneOf(selected.location_id)}
              onAttached={(patientId) => {
                setSelected(null);
                setAttached(patientId);
              }}
            />
          )}
        </section>
      </div>
    </Stack>
  );
}

function ConversationList({
  view,
  clinic,
  zoneOf,
  selectedKey,
  onSelect,
}: {
  view: InboxView;
  clinic: LocationView;
  zoneOf: (locationId: string | null) => string;
  selectedKey: string | null;
  onSelect: (c: Conversation) => void;
}) {
  const { t, i18n } = useTranslation();
  const conversations = useConversations(view, clinic.id);
  if (conversations.isPending) return <Loader role="status" aria-label={t("common.loading")} />;
  if (conversations.error) return <ErrorNote error={conversations.error} />;
  const items = sortConversations(conversations.data.items);
  if (items.length === 0) {
    return (
      <Text c="dimmed" data-testid="no-conversations">
        {t(`inbox.empty.${view}`)}
      </Text>
    );
  }
  return (
    <ul className="conversation-list" aria-label={t("inbox.conversations")}>
      {items.map((c) => {
        const flag = conversationFlag(c);
        const who = c.patient_name ?? c.number ?? t("inbox.unknownSender");
        return (
          <li key={c.key}>
            <UnstyledButton
              className={`conversation${flag?.alarm ? " conversation-alarm" : ""}${selectedKey === c.key ? " conversation-selected" : ""}`}
              data-testid="conversation"
              data-unread={c.unread ? "true" : "false"}
              data-urgency={c.urgency ?? ""}
              data-alarm={flag?.alarm ? "true" : "false"}
              aria-pressed={selectedKey === c.key}
              onClick={() => { onSelect(c); }}
            >
              <Group justify="space-between" gap="xs" wrap="nowrap">
                <Text fw={c.unread ? 800 : 500} size="sm" className={flag?.alarm ? "alarm-text" : undefined} truncate>
                  {c.unread && <span className="visually-hidden">{t("inbox.unreadMark")} </span>}
                  {who}
                </Text>
                <Text size="xs" c="dimmed" className="nowrap">
                  {formatDateTime(c.last_at, zoneOf(c.location_id), i18n.language)}
                </Text>
              </Group>
              <Group gap={6} mt={4} wrap="nowrap">
                {flag && (
                  <Badge color={flag.color} variant={flag.alarm ? "filled" : "light"} size="sm" data-testid="conversation-flag">
                    {t(flag.label)}
                  </Badge>
                )}
                {!c.patient_id && (
                  <Badge color="gray" variant="light" size="sm">
                    {t("inbox.unattached")}
                  </Badge>
                )}
                {c.assigned_name && (
                  <Badge color="dark" variant="outline" size="sm" data-testid="conversation-assignee">
                    {t("inbox.assignedTo", { name: c.assigned_name })}
                  </Badge>
                )}
              </Group>
              {c.last_text && (
                <Text size="sm" mt={4} lineClamp={2}>
                  {c.last_direction === "outbound" && `${t("inbox.you")}: `}
                  {c.last_text}
                </Text>
              )}
            </UnstyledButton>
          </li>
        );
      })}
    </ul>
  );
}

function Thread({ interactions, zoneOf }: { interactions: InteractionView[]; zoneOf: (id: string | null) => string }) {
  const { t, i18n } = useTranslation();
  const texts = threadOf(interactions);
  if (texts.length === 0) {
    return (
      <Text c="dimmed" data-testid="empty-thread">
        {t("inbox.noTexts")}
      </Text>
    );
  }
  return (
    <ol className="thread" aria-label={t("inbox.texts")}>
      {texts.map((x) => (
        <li key={x.id} className={`bubble bubble-${x.side}`} data-testid="text" data-side={x.side}>
          <Text size="xs" c="dimmed">
            {t(x.label)}
            {x.author && ` · ${x.author}`} · {formatDateTime(x.at, zoneOf(x.locationId), i18n.language)}
          </Text>
          <Text size="sm" className="note-text">
            {x.text}
          </Text>
        </li>
      ))}
    </ol>
  );
}

function PatientThread({
  conversation,
  patientId,
  zoneOf,
}: {
  conversation: Conversation;
  patientId: string;
  zoneOf: (id: string | null) => string;
}) {
  const { t } = useTranslation();
  const thread = useSmsThread(patientId);
  const flag = conversationFlag(conversation);
  return (
    <Stack gap="sm" data-testid="thread">
      <Group justify="space-between">
        <Title order={3} id="thread-title">
          {conversation.patient_name ?? t("inbox.patient")}
        </Title>
        <Group gap="sm">
          <Assignee conversation={conversation} />
          <Anchor component={Link} to={`/patients/${encodeURIComponent(patientId)}`} size="sm">
            {t("inbox.openPatient")}
          </Anchor>
        </Group>
      </Group>
      {flag?.alarm && (
        <Alert color="red" title={t(flag.label)} data-testid="thread-alarm">
          {t("inbox.alarmHelp")}
        </Alert>
      )}
      {thread.isPending && <Loader role="status" aria-label={t("common.loading")} />}
      {thread.error && <ErrorNote error={thread.error} />}
      {thread.data && <Thread interactions={thread.data.items} zoneOf={zoneOf} />}
      <ReplyBox patientId={patientId} zone={zoneOf(conversation.location_id)} />
    </Stack>
  );
}

/** Who answers this conversation: take it, or let it go. Opening it marks it read (for me). */
function Assignee({ conversation }: { conversation: Conversation }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const me = client.getQueryData<Me>(keys.me);
  const key = conversation.key;
  const path = `/api/v1/conversations/${encodeURIComponent(key)}`;
  useEffect(() => {
    void api<undefined>("POST", `${path}/read`)
      .then(() => client.invalidateQueries({ queryKey: ["conversations"] }))
      .catch(() => undefined); // a read mark is a convenience: never block the thread on it
  }, [client, path]);
  const [holder, setHolder] = useState({ id: conversation.assigned_to, name: conversation.assigned_name });
  const assign = useMutation({
    mutationFn: (userId: string | null) =>
      api<ConversationAssignee>("PUT", `${path}/assignee`, { body: { user_id: userId } }),
    onSuccess: (answer) => {
      setHolder({ id: answer.assigned_to, name: answer.assigned_name });
      void client.invalidateQueries({ queryKey: ["conversations"] });
    },
  });
  const mine = !!me && holder.id === me.user.id;
  return (
    <Group gap="xs" data-testid="assignee">
      {assign.error && <ErrorNote error={assign.error} title={t("inbox.assignFailed")} />}
      {holder.name && (
        <Text size="sm" c="dimmed">
          {mine ? t("inbox.assignedToYou") : t("inbox.assignedTo", { name: holder.name })}
        </Text>
      )}
      {me && !mine && (
        <Button size="compact-sm" variant="light" loading={assign.isPending} onClick={() => { assign.mutate(me.user.id); }}>
          {holder.id ? t("inbox.takeOver") : t("inbox.assignToMe")}
        </Button>
      )}
      {mine && (
        <Button size="compact-sm" variant="default" loading={assign.isPending} onClick={() => { assign.mutate(null); }}>
          {t("inbox.release")}
        </Button>
      )}
    </Group>
  );
}

interface Send {
  body: string;
  key: string;
  quiet: boolean;
}

const FIELD_LABELS: Record<string, string> = {
  "body.body": "inbox.reply.label",
  "body.to": "inbox.reply.to",
  "body.respect_quiet_hours": "inbox.reply.quietHours",
};

function ReplyBox({ patientId, zone }: { patientId: string; zone: string }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const patient = usePatient(patientId);
  // One key per composed message: a retry or a double click of the same text sends once.
  const [draft, setDraft] = useState(() => ({ text: "", key: newKey() }));
  const [held, setHeld] = useState<{ message: OutboundMessageView; key: string } | null>(null);
  const [sent, setSent] = useState<OutboundMessageView | null>(null);
  // "Send now anyway" releases the held message itself: the patient never gets it twice.
  const release = useMutation({
    mutationFn: (messageId: string) =>
      api<OutboundMessageView>("POST", `/api/v1/messages/${encodeURIComponent(messageId)}/send-now`),
    onSuccess: (message) => {
      setHeld(null);
      setSent(message);
      void client.invalidateQueries({ queryKey: keys.smsThread(patientId) });
      void client.invalidateQueries({ queryKey: ["conversations"] });
    },
  });
  const send = useMutation({
    mutationFn: ({ body, key, quiet }: Send) =>
      api<OutboundMessageView>("POST", `/api/v1/patients/${encodeURIComponent(patientId)}/messages`, {
        body: { body, respect_quiet_hours: quiet } satisfies StaffMessage,
        headers: { "Idempotency-Key": key },
      }),
    onSuccess: (message, variables) => {
      if (variables.quiet && heldUntil(message)) {
        setHeld({ message, key: newKey() });
        setSent(null);
      } else {
        setHeld(null);
        setSent(message);
      }
      setDraft({ text: "", key: newKey() });
      void client.invalidateQueries({ queryKey: keys.smsThread(patientId) });
      void client.invalidateQueries({ queryKey: ["conversations"] });
    },
  });
  // Canned replies go in the patient's language when the catalog has it.
  const language = patient.data?.preferred_language;
  const fixed = i18n.getFixedT(language === "es" || language === "en" ? language : i18n.language);
  const error = send.error;
  const optedOut = error instanceof ApiError && error.status === 409 && error.errorId === "patient-opted-out";
  const fields = error instanceof ApiError && error.status === 422 ? error.fieldErrors : [];
  const bodyError = fields.find((f) => f.field === "body.body")?.message;
  const otherFields = fields.filter((f) => f.field !== "body.body");
  const edit = (text: string) => {
    setDraft({ text, key: newKey() });
    setSent(null);
    if (send.error) send.reset();
  };

  return (
    <form
      aria-label={t("inbox.reply.form")}
      onSubmit={(event) => {
        event.preventDefault();
        const body = draft.text.trim();
        if (body && !send.isPending) send.mutate({ body, key: draft.key, quiet: true });
      }}
    >
      <Stack gap="xs">
        <Group gap="xs" role="group" aria-labelledby="templates-label">
          <Text size="sm" id="templates-label">
            {t("inbox.templates.label")}
          </Text>
          {TEMPLATES.map((name) => (
            <Button
              key={name}
              size="compact-sm"
              variant="default"
              type="button"
              onClick={() => {
                const text = fixed(`inbox.templates.${name}`);
                edit(draft.text.trim() ? `${draft.text.trimEnd()} ${text}` : text);
              }}
            >
              {t(`inbox.templates.names.${name}`)}
            </Button>
          ))}
        </Group>
        <Textarea
          label={t("inbox.reply.label")}
          description={t("inbox.reply.help")}
          name="body"
          autosize
          minRows={3}
          maxLength={1600}
          value={draft.text}
          error={bodyError}
          onChange={(e) => { edit(e.currentTarget.value); }}
        />
        <Group>
          <Button type="submit" disabled={!draft.text.trim()} loading={send.isPending && send.variables.quiet}>
            {t("inbox.reply.send")}
          </Button>
        </Group>
        {optedOut && (
          <Alert color="red" role="alert" data-testid="opted-out">
            {t("inbox.reply.optedOut")}
          </Alert>
        )}
        {otherFields.length > 0 && (
          <Alert color="red" role="alert" title={t("inbox.reply.failed")}>
            <ul className="field-errors">
              {otherFields.map((f) => (
                <li key={f.field}>
                  {FIELD_LABELS[f.field] ? t(FIELD_LABELS[f.field] ?? "") : f.field}: {f.message}
                </li>
              ))}
            </ul>
          </Alert>
        )}
        {error && !optedOut && fields.length === 0 && <ErrorNote error={error} title={t("inbox.reply.failed")} />}
        {release.error && <ErrorNote error={release.error} title={t("inbox.reply.failed")} />}
        {held && (
          <Alert color="orange" role="status" data-testid="held" title={t("inbox.reply.heldTitle")}>
            <Stack gap="xs">
              <Text size="sm">
                {t("inbox.reply.held", {
                  time: formatDateTime(held.message.due_at, held.message.recipient_tz ?? zone, i18n.language),
                })}
              </Text>
              <Group>
                <Button
                  type="button"
                  color="orange"
                  variant="default"
                  loading={release.isPending}
                  onClick={() => {
                    if (!release.isPending) release.mutate(held.message.id);
                  }}
                >
                  {t("inbox.reply.sendNow")}
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
        {sent && (
          <Text size="sm" role="status" data-testid="sent">
            {t("inbox.reply.sent")}
          </Text>
        )}
      </Stack>
    </form>
  );
}

function UnknownThread({
  conversation,
  zone,
  onAttached,
}: {
  conversation: Conversation;
  zone: string;
  onAttached: (patientId: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const [attaching, setAttaching] = useState(false);
  return (
    <Stack gap="sm" data-testid="unknown-thread">
      <Group justify="space-between">
        <Title order={3} id="thread-title">
          {conversation.number ?? t("inbox.unknownSender")}
        </Title>
        <Assignee conversation={conversation} />
      </Group>
      <Text size="sm" c="dimmed">
        {t("inbox.unattachedHelp")}
      </Text>
      {conversation.last_text && (
        <ol className="thread" aria-label={t("inbox.texts")}>
          <li className={`bubble bubble-${conversation.last_direction}`} data-testid="text">
            <Text size="xs" c="dimmed">
              {formatDateTime(conversation.last_at, zone, i18n.language)}
            </Text>
            <Text size="sm" className="note-text">
              {conversation.last_text}
            </Text>
          </li>
        </ol>
      )}
      {attaching ? (
        <AttachForm conversation={conversation} onAttached={onAttached} />
      ) : (
        <Group>
          <Button onClick={() => { setAttaching(true); }}>{t("inbox.attach.action")}</Button>
        </Group>
      )}
    </Stack>
  );
}

function AttachForm({ conversation, onAttached }: { conversation: Conversation; onAttached: (patientId: string) => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const attach = useMutation({
    mutationFn: (patientId: string) =>
      api<InteractionView>("POST", `/api/v1/interactions/${encodeURIComponent(conversation.interaction_id)}/patient`, {
        body: { patient_id: patientId } satisfies PatientLink,
      }),
    onSuccess: (_interaction, patientId) => {
      void client.invalidateQueries({ queryKey: ["conversations"] });
      void client.invalidateQueries({ queryKey: ["timeline", patientId] });
      onAttached(patientId);
    },
  });

  return (
    <Stack gap="sm">
      <PatientFinder
        formLabel={t("inbox.attach.form")}
        initialPhone={conversation.number ?? ""}
        pickLabel={t("inbox.attach.pick")}
        resultTestId="attach-match"
        busyId={attach.isPending ? attach.variables : null}
        onPick={(match) => { attach.mutate(match.patient.id); }}
      />
      {attach.error && <ErrorNote error={attach.error} title={t("inbox.attach.failed")} />}
    </Stack>
  );
}
