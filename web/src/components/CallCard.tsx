import { Alert, Badge, Card, Group, List, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import {
  type CallCard as CallCardData,
  formatDuration,
  priorityFlag,
  recentSummary,
  secondsSince,
  segmentWords,
} from "../lib/desk";
import { formatDateTime } from "../lib/time";
import { PatientName } from "./PatientName";
import "./calls.css";

function languageName(code: string | null | undefined, locale: string): string {
  if (!code) return "—";
  try {
    return new Intl.DisplayNames([locale], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The caller's words with the phrases that drove triage highlighted (never colour alone:
 * a driving phrase is bold and marked, a discounted one struck through). */
function Words({ card }: { card: CallCardData }) {
  const { t } = useTranslation();
  const triage = card.triage;
  if (!triage?.words) return <Text c="dimmed">{t("calls.card.noWords")}</Text>;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600} id="caller-words-title">
        {t("calls.card.words")}
      </Text>
      <blockquote className="caller-words" aria-labelledby="caller-words-title" data-testid="caller-words">
        {segmentWords(triage.words, triage.drivers).map((seg, i) =>
          seg.urgency === null ? (
            <span key={i}>{seg.text}</span>
          ) : seg.discounted ? (
            <s key={i} className="word-discounted" data-testid="discounted-word">
              {seg.text}
            </s>
          ) : (
            <mark key={i} className={`word-driver word-${seg.urgency}`} data-testid="driver-word">
              {seg.text}
            </mark>
          ),
        )}
      </blockquote>
      <Text size="xs" c="dimmed">
        {t("calls.card.wordsHelp")}
      </Text>
    </Stack>
  );
}

export function CallCard({ card, zone, now }: { card: CallCardData; zone: string; now: number }) {
  const { t, i18n } = useTranslation();
  const flag = priorityFlag(card.priority);
  const triageFlag = card.triage ? priorityFlag(card.triage.urgency) : null;
  const waited = card.answered_at ? card.waited_seconds : secondsSince(card.entered_at, now);
  const department = t(`calls.department.${card.department}`, card.department.replace(/_/g, " "));
  return (
    <Card
      withBorder
      padding="md"
      className={`call-card${flag.alarm ? " call-card-alarm" : ""}`}
      data-testid="call-card"
      data-status={card.status}
      data-priority={card.priority}
      aria-labelledby="call-card-title"
    >
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Title order={3} id="call-card-title">
              {t("calls.card.title")}
            </Title>
            <Text size="sm" data-testid="call-status">
              {t(`calls.card.status.${card.status}`)}
            </Text>
          </Stack>
          <Badge size="lg" color={flag.color} variant={flag.alarm ? "filled" : "light"} data-testid="call-priority">
            {t(flag.label)}
          </Badge>
        </Group>
        <dl className="call-facts">
          <div>
            <dt>{t("calls.card.department")}</dt>
            <dd data-testid="call-department">{department}</dd>
          </div>
          <div>
            <dt>{t("calls.card.language")}</dt>
            <dd>{languageName(card.language, i18n.language)}</dd>
          </div>
          <div>
            <dt>{t("calls.card.waited")}</dt>
            <dd data-testid="call-waited">{formatDuration(waited)}</dd>
          </div>
        </dl>
        {(card.interpreter || card.overflow) && (
          <Group gap="xs">
            {card.interpreter && <Badge color="grape">{t("calls.card.interpreter")}</Badge>}
            {card.overflow && <Badge color="orange">{t("calls.card.overflow")}</Badge>}
          </Group>
        )}
        {card.phi_withheld ? (
          <Alert color="gray" data-testid="phi-withheld">
            {t("calls.card.phiWithheld")}
          </Alert>
        ) : (
          <>
            <section aria-labelledby="call-triage-title" data-testid="call-triage">
              <Group gap="xs" mb={4}>
                <Title order={4} id="call-triage-title">
                  {t("calls.card.triage")}
                </Title>
                {triageFlag && card.triage && (
                  <Badge
                    color={triageFlag.color}
                    variant={triageFlag.alarm ? "filled" : "light"}
                    data-testid="triage-urgency"
                    data-urgency={card.triage.urgency}
                  >
                    {t(triageFlag.label)}
                  </Badge>
                )}
                {card.triage?.intent && (
                  <Text size="sm">{t("calls.card.intent", { intent: card.triage.intent })}</Text>
                )}
                {card.triage?.escalated && (
                  <Text size="sm" c="dimmed">
                    {t("calls.card.escalated")}
                  </Text>
                )}
              </Group>
              {card.triage ? <Words card={card} /> : <Text c="dimmed">{t("calls.card.noTriage")}</Text>}
            </section>
            <section aria-labelledby="call-patient-title" data-testid="call-patient">
              <Title order={4} id="call-patient-title" mb={4}>
                {t("calls.card.patient")}
              </Title>
              {card.patient ? (
                <Stack gap={4}>
                  <Group gap="xs">
                    <Text component="div" fw={600} size="lg" data-testid="patient-name">
                      <PatientName id={card.patient.patient_id} />
                    </Text>
                    <Text size="sm" fw={500} data-testid="patient-verified" data-verified={card.patient.verified ? "true" : "false"}>
                      {card.patient.verified ? `✓ ${t("calls.card.verified")}` : `⚠ ${t("calls.card.byNumber")}`}
                    </Text>
                  </Group>
                </Stack>
              ) : (
                <Text c="dimmed">{t("calls.card.unknownCaller")}</Text>
              )}
            </section>
            {card.patient && (
              <Group align="flex-start" grow>
                <section aria-labelledby="call-recent-title">
                  <Title order={4} id="call-recent-title" mb={4}>
                    {t("calls.card.recent")}
                  </Title>
                  {card.recent.length === 0 ? (
                    <Text c="dimmed" size="sm">
                      {t("calls.card.noRecent")}
                    </Text>
                  ) : (
                    <List size="sm" spacing={2} data-testid="recent-interactions">
                      {card.recent.map((r) => {
                        const what = recentSummary(r).map((k) => t(k));
                        return (
                          <List.Item key={r.id}>
                            {formatDateTime(r.started_at, zone, i18n.language)} · {t(`channel.${r.channel}`, r.channel)} ·{" "}
                            {t(`direction.${r.direction}`, r.direction)}
                            {what.length > 0 && ` · ${what.join(", ")}`}
                            {r.urgency && r.urgency !== "routine" && ` · ${t(`urgency.${r.urgency}`)}`}
                            {r.disposition && ` · ${t(`calls.dispositions.${r.disposition}`, r.disposition)}`}
                          </List.Item>
                        );
                      })}
                    </List>
                  )}
                </section>
                <section aria-labelledby="call-tasks-title">
                  <Title order={4} id="call-tasks-title" mb={4}>
                    {t("calls.card.tasks")}
                  </Title>
                  {card.open_tasks.length === 0 ? (
                    <Text c="dimmed" size="sm">
                      {t("calls.card.noTasks")}
                    </Text>
                  ) : (
                    <List size="sm" spacing={2} data-testid="open-tasks">
                      {card.open_tasks.map((task) => (
                        <List.Item key={task.id}>
                          {t(`taskKind.${task.kind}`, task.kind)}
                          {task.urgency !== "routine" && ` · ${t(`urgency.${task.urgency}`, task.urgency)}`}
                          {task.due_at && ` · ${t("calls.card.due", { time: formatDateTime(task.due_at, zone, i18n.language) })}`}
                          {task.claimed_by_name && ` · ${t("calls.card.claimed", { name: task.claimed_by_name })}`}
                        </List.Item>
                      ))}
                    </List>
                  )}
                </section>
              </Group>
            )}
          </>
        )}
        {card.disposition && (
          <Text size="sm" data-testid="call-disposition">
            {t("calls.card.disposition", { disposition: t(`calls.dispositions.${card.disposition}`) })}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
