import { Badge, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { elapsedSeconds, formatDuration, presenceColor, priorityColor, type WallAgent } from "../lib/wall";
import { useDepartmentName } from "./WallWords";

/** Every agent of the clinic: state, time in it (ticking), and the call they hold. */
export function WallAgents({ agents, now, offset }: { agents: WallAgent[]; now: number; offset: number }) {
  const { t } = useTranslation();
  const department = useDepartmentName();
  return (
    <section aria-labelledby="wall-agents-title">
      <Stack gap="sm">
        <Title order={3} id="wall-agents-title">
          {t("wall.agents.title")} ({agents.length})
        </Title>
        {agents.length === 0 ? (
          <Text c="dimmed">{t("wall.agents.empty")}</Text>
        ) : (
          <Table aria-labelledby="wall-agents-title" striped verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("wall.agents.name")}</Table.Th>
                <Table.Th>{t("wall.agents.state")}</Table.Th>
                <Table.Th>{t("wall.agents.inState")}</Table.Th>
                <Table.Th>{t("wall.agents.call")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {agents.map((a) => (
                <Table.Tr key={a.staff_id} data-testid="wall-agent" data-presence={a.presence}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {a.display_name}
                    </Text>
                    {a.title && (
                      <Text size="xs" c="dimmed">
                        {a.title}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={presenceColor(a.presence)} variant="light">
                      {t(`wall.presence.${a.presence}`, a.presence)}
                    </Badge>
                  </Table.Td>
                  <Table.Td className="wall-clock" data-testid="wall-in-state">
                    {formatDuration(elapsedSeconds(a.presence_since, now, offset))}
                  </Table.Td>
                  <Table.Td>
                    {a.current_call ? (
                      <Text size="sm">
                        {department(a.current_call.department)}{" "}
                        <Badge color={priorityColor(a.current_call.priority)} variant="light" size="sm">
                          {t(`wall.priority.${a.current_call.priority}`, a.current_call.priority)}
                        </Badge>{" "}
                        ·{" "}
                        {a.current_call.status === "offered" ? t("wall.agents.ringing") : t("wall.agents.talking")}{" "}
                        <span className="wall-clock">
                          {formatDuration(elapsedSeconds(a.current_call.since, now, offset))}
                        </span>
                      </Text>
                    ) : (
                      <Text size="sm" c="dimmed">
                        –
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </section>
  );
}
