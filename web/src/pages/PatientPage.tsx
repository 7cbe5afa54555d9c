import {
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";
import { api } from "../api/client";
import { keys, useLocations, usePatient, useTimeline } from "../api/queries";
import type { EventView, InteractionView, NoteCreate, PatientView } from "../api/types";
import { ErrorNote } from "../components/ErrorNote";
import { formatBirthDate, formatDateTime, formatTime } from "../lib/time";

const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function PatientPage() {
  const { t } = useTranslation();
  const { patientId = "" } = useParams();
  const patient = usePatient(patientId);
  const locations = useLocations();
  const zones = new Map((locations.data?.items ?? []).map((l) => [l.id, l.timezone]));
  const homeZone = (patient.data?.home_location_id && zones.get(patient.data.home_location_id)) || LOCAL_ZONE;

  if (patient.isPending) return <Loader role="status" aria-label={t("common.loading")} />;
  if (patient.error) return <ErrorNote error={patient.error} title={t("patient.loadFailed")} />;
  const p = patient.data;
  const home = locations.data?.items.find((l) => l.id === p.home_location_id);
  return (
    <Stack gap="lg">
      <Title order={2} data-testid="patient-name">
        {p.family_name}, {p.given_name}
      </Title>
      <Details patient={p} homeName={home?.name ?? null} />
      <Timeline patientId={p.id} zones={zones} fallbackZone={homeZone} />
    </Stack>
  );
}

function Details({ patient: p, homeName }: { patient: PatientView; homeName: string | null }) {
  const { t, i18n } = useTranslation();
  const consentColor = p.sms_consent === "opted_in" ? "green" : p.sms_consent === "opted_out" ? "red" : "gray";
  return (
    <Card withBorder>
      <Table variant="vertical" layout="fixed" withRowBorders={false} aria-label={t("patient.details")}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={220}>{t("patient.dateOfBirth")}</Table.Th>
            <Table.Td>{formatBirthDate(p.date_of_birth, i18n.language)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t("patient.mrn")}</Table.Th>
            <Table.Td>{p.mrn ?? "—"}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t("patient.clinic")}</Table.Th>
            <Table.Td>{homeName ?? "—"}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t("patient.phones")}</Table.Th>
            <Table.Td>
              {p.phones.length === 0
                ? t("patient.noPhones")
                : p.phones.map((ph) => (
                    <div key={ph.number}>
                      {ph.number} · {t(`phoneKind.${ph.kind}`)}
                      {ph.primary && ` · ${t("patient.primary")}`}
                      {ph.sms_capable && ` · ${t("patient.smsCapable")}`}
                    </div>
                  ))}
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t("patient.language")}</Table.Th>
            <Table.Td>{t(`language.${p.preferred_language}`, p.preferred_language)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t("patient.channel")}</Table.Th>
            <Table.Td>{t(`preferredChannel.${p.preferred_channel}`)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t("patient.smsConsent")}</Table.Th>
            <Table.Td>
              <Badge color={consentColor} variant="light" data-testid="sms-consent">
                {t(`smsConsent.${p.sms_consent}`)}
              </Badge>
              {p.sms_consent_at && (
                <Text span size="sm" c="dimmed" ml="xs">
                  {formatDateTime(p.sms_consent_at, LOCAL_ZONE, i18n.language)}
                  {p.sms_consent_source && ` · ${p.sms_consent_source}`}
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
          {p.caregivers.length > 0 && (
            <Table.Tr>
              <Table.Th>{t("patient.caregivers")}</Table.Th>
              <Table.Td>
                {p.caregivers.map((c) => (
                  <div key={c.id}>
                    {c.name} · {t(`relationship.${c.relationship}`)} · {c.phone}
                    {c.may_receive_messages && ` · ${t("patient.mayReceive")}`}
                  </div>
                ))}
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function eventLabel(t: (key: string, fallback: string) => string, event: EventView): string {
  return t(`eventKind.${event.kind.replace(/\./g, "_")}`, event.kind);
}

function eventDetail(t: (key: string, values?: Record<string, string>) => string, event: EventView): string | null {
  const data = event.data as Record<string, unknown>;
  if (event.kind === "menu.choice") {
    const digits = typeof data.digits === "string" ? data.digits : "";
    const label = typeof data.label === "string" ? data.label : "";
    return t("timeline.pressed", { digits, label });
  }
  if (event.kind === "agent.wrap_up" && typeof data.disposition === "string") {
    const who = typeof data.staff_name === "string" ? data.staff_name : "";
    return t("timeline.wrapUp", { disposition: t(`calls.dispositions.${data.disposition}`), who });
  }
  if (typeof data.urgency === "string" && event.kind.startsWith("triage")) {
    return t(`urgency.${data.urgency}`);
  }
  return null;
}

function Timeline({
  patientId,
  zones,
  fallbackZone,
}: {
  patientId: string;
  zones: Map<string, string>;
  fallbackZone: string;
}) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const timeline = useTimeline(patientId);
  const [note, setNote] = useState("");
  const add = useMutation({
    mutationFn: (body: NoteCreate) =>
      api<InteractionView>("POST", `/api/v1/patients/${encodeURIComponent(patientId)}/notes`, { body }),
    onSuccess: () => {
      setNote("");
      void client.invalidateQueries({ queryKey: keys.timeline(patientId) });
    },
  });
  const zoneOf = (i: InteractionView) => (i.location_id && zones.get(i.location_id)) || fallbackZone;

  return (
    <section aria-labelledby="timeline-title">
      <Stack gap="sm">
        <Title order={3} id="timeline-title">
          {t("timeline.title")}
        </Title>
        <form
          aria-label={t("timeline.addNote")}
          onSubmit={(event) => {
            event.preventDefault();
            if (note.trim()) add.mutate({ text: note.trim() });
          }}
        >
          <Stack gap="xs" maw={640}>
            <Textarea
              label={t("timeline.note")}
              description={t("timeline.noteHelp")}
              name="note"
              autosize
              minRows={2}
              maxLength={20000}
              value={note}
              onChange={(e) => { setNote(e.currentTarget.value); }}
            />
            <Group>
              <Button type="submit" disabled={!note.trim()} loading={add.isPending}>
                {t("timeline.addNote")}
              </Button>
            </Group>
            {add.error && <ErrorNote error={add.error} title={t("timeline.noteFailed")} />}
          </Stack>
        </form>
        {timeline.isPending && <Loader role="status" aria-label={t("common.loading")} />}
        {timeline.error && <ErrorNote error={timeline.error} />}
        {timeline.data?.items.length === 0 && (
          <Text c="dimmed" data-testid="empty-timeline">
            {t("timeline.empty")}
          </Text>
        )}
        {timeline.data?.items.map((i) => (
          <Card key={i.id} withBorder padding="sm" data-testid="interaction" data-channel={i.channel}>
            <Group gap="xs">
              <Badge variant="light">{t(`channel.${i.channel}`)}</Badge>
              <Text size="sm" c="dimmed">
                {t(`direction.${i.direction}`)} · {formatDateTime(i.started_at, zoneOf(i), i18n.language)} ·{" "}
                {i.status}
              </Text>
            </Group>
            {i.summary && <Text mt={4}>{i.summary}</Text>}
            {i.events.length > 0 && (
              <ol className="timeline-events" aria-label={t("timeline.events")}>
                {i.events.map((e) => {
                  const detail = eventDetail(t, e);
                  return (
                    <li key={e.id}>
                      <Text size="sm" span c="dimmed">
                        {formatTime(e.at, zoneOf(i), i18n.language)}
                      </Text>{" "}
                      <Text size="sm" span fw={500}>
                        {eventLabel(t, e)}
                      </Text>
                      {detail && <Text size="sm" span>{` · ${detail}`}</Text>}
                      {e.text && (
                        <Text size="sm" className="note-text">
                          {e.text}
                        </Text>
                      )}
                      <Text size="xs" c="dimmed" span>
                        {" "}
                        — {e.actor_name}
                      </Text>
                    </li>
                  );
                })}
              </ol>
            )}
          </Card>
        ))}
      </Stack>
    </section>
  );
}
