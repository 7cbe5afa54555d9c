import { Badge, Button, Stack, Table, Text, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../api/client";
import { keys, useSessions } from "../api/queries";
import { ErrorNote } from "../components/ErrorNote";
import { formatDateTime } from "../lib/time";

/** The browser's own zone: sessions are about the user's devices, not a clinic. */
const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function SessionsPage() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const sessions = useSessions();
  const end = useMutation({
    mutationFn: (id: string) =>
      api<undefined>("DELETE", `/api/v1/auth/sessions/${encodeURIComponent(id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.sessions }),
  });

  return (
    <Stack>
      <Title order={2}>{t("sessions.title")}</Title>
      <Text c="dimmed">{t("sessions.intro")}</Text>
      {sessions.error && <ErrorNote error={sessions.error} />}
      {end.error && <ErrorNote error={end.error} />}
      {sessions.data && (
        <Table striped withTableBorder aria-label={t("sessions.title")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("sessions.device")}</Table.Th>
              <Table.Th>{t("sessions.address")}</Table.Th>
              <Table.Th>{t("sessions.started")}</Table.Th>
              <Table.Th>{t("sessions.lastSeen")}</Table.Th>
              <Table.Th>
                <span className="visually-hidden">{t("sessions.actions")}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sessions.data.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>{s.user_agent ?? t("sessions.unknownDevice")}</Table.Td>
                <Table.Td>{s.ip ?? "—"}</Table.Td>
                <Table.Td>{formatDateTime(s.created_at, LOCAL_ZONE, i18n.language)}</Table.Td>
                <Table.Td>{formatDateTime(s.last_seen_at, LOCAL_ZONE, i18n.language)}</Table.Td>
                <Table.Td>
                  {s.current ? (
                    <Badge color="green" variant="light">
                      {t("sessions.thisOne")}
                    </Badge>
                  ) : (
                    <Button
                      size="xs"
                      variant="light"
                      color="red"
                      loading={end.isPending && end.variables === s.id}
                      onClick={() => { end.mutate(s.id); }}
                    >
                      {t("sessions.end")}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
