import { Badge, Card, Group, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import {
  elapsedSeconds,
  formatDuration,
  formatShare,
  overLimit,
  priorityColor,
  type WallQueue,
} from "../lib/wall";
import { useDepartmentName } from "./WallWords";

/** Big tiles, one per live queue: who is in line, and the longest wait ticking. */
export function WallQueues({
  queues,
  limits,
  now,
  offset,
}: {
  queues: WallQueue[];
  limits: Record<string, number | null>;
  now: number;
  offset: number;
}) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="wall-queues-title">
      <Stack gap="sm">
        <Title order={3} id="wall-queues-title">
          {t("wall.queues.title")}
        </Title>
        {queues.length === 0 ? (
          <Text c="dimmed" data-testid="wall-no-queues">
            {t("wall.queues.empty")}
          </Text>
        ) : (
          <div className="wall-tiles">
            {queues.map((q) => (
              <QueueTile key={`${q.department}/${q.priority}`} queue={q} limits={limits} now={now} offset={offset} />
            ))}
          </div>
        )}
      </Stack>
    </section>
  );
}

function QueueTile({
  queue,
  limits,
  now,
  offset,
}: {
  queue: WallQueue;
  limits: Record<string, number | null>;
  now: number;
  offset: number;
}) {
  const { t, i18n } = useTranslation();
  const department = useDepartmentName();
  const inLine = queue.waiting + queue.ringing;
  const wait = queue.oldest_entered_at ? elapsedSeconds(queue.oldest_entered_at, now, offset) : 0;
  const alarm = overLimit(queue.priority, wait, limits, inLine > 0);
  const name = `${department(queue.department)}, ${t(`wall.priority.${queue.priority}`, queue.priority)}`;
  return (
    <Card
      withBorder
      padding="md"
      className="wall-tile"
      data-testid="wall-queue"
      data-department={queue.department}
      data-priority={queue.priority}
      data-alarm={alarm ? "true" : "false"}
      aria-label={name}
      role="group"
    >
      <Group justify="space-between" align="flex-start" gap="xs">
        <Text fw={700} size="lg">
          {department(queue.department)}
        </Text>
        <Badge color={priorityColor(queue.priority)} variant="light">
          {t(`wall.priority.${queue.priority}`, queue.priority)}
        </Badge>
      </Group>
      <Group align="flex-end" gap="xs" mt="xs">
        <span className="wall-big" data-testid="wall-waiting">
          {queue.waiting}
        </span>
        <Text size="lg" pb={6}>
          {t("wall.queues.waiting", { count: queue.waiting })}
        </Text>
      </Group>
      <Text size="md" mt={4}>
        {t("wall.queues.longest")}:{" "}
        <strong className="wall-clock" data-testid="wall-longest">
          {inLine > 0 ? formatDuration(wait) : "–"}
        </strong>
        {alarm && <> · <strong>{t("wall.queues.overLimit")}</strong></>}
      </Text>
      <Text size="sm" c="dimmed" mt={4}>
        {t("wall.queues.ringing", { count: queue.ringing })} · {t("wall.queues.connected", { count: queue.connected })}
      </Text>
      <Text size="sm" c="dimmed">
        {t("wall.queues.today", {
          offered: queue.offered_today,
          level: formatShare(queue.service_level_today, i18n.language),
        })}
      </Text>
    </Card>
  );
}
