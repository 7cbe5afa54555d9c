// "Open now / next opening" and the next 14 days, from the API (open-status and days),
// in the clinic's own time zone.
import { Badge, Group, Loader, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { LocationView } from "../../api/types";
import { formatDateTime } from "../../lib/time";
import { ErrorNote } from "../ErrorNote";
import { useDays, useOpenStatus } from "./queries";

function dayLabel(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", weekday: "short", month: "short", day: "numeric" }).format(
    new Date(`${day}T12:00:00Z`),
  );
}

export function OpenPreview({ clinic }: { clinic: LocationView }) {
  const { t, i18n } = useTranslation();
  const status = useOpenStatus(clinic.id);
  const days = useDays(clinic.id);
  return (
    <Stack gap="sm" component="section" aria-labelledby="manager-preview-title" data-testid="manager-preview">
      <Title order={3} id="manager-preview-title">
        {t("manager.preview.title")}
      </Title>
      {status.isPending && <Loader role="status" size="sm" aria-label={t("common.loading")} />}
      {status.error && <ErrorNote error={status.error} />}
      {status.data && (
        <Group gap="sm" data-testid="manager-open-now" data-open={status.data.open}>
          <Badge color={status.data.open ? "teal.9" : "red.9"} size="lg">
            {status.data.open ? t("manager.preview.openNow") : t("manager.preview.closedNow")}
          </Badge>
          <Text>
            {status.data.open
              ? t("manager.preview.openSince", { time: formatDateTime(status.data.at, clinic.timezone, i18n.language) })
              : status.data.next_open
                ? t("manager.preview.nextOpen", { time: formatDateTime(status.data.next_open, clinic.timezone, i18n.language) })
                : t("manager.preview.noOpening")}
          </Text>
        </Group>
      )}
      <Text size="sm" c="dimmed">
        {t("manager.preview.zone", { zone: clinic.timezone })}
      </Text>
      {days.isPending && <Loader role="status" size="sm" aria-label={t("common.loading")} />}
      {days.error && <ErrorNote error={days.error} />}
      {days.data && (
        <Table className="manager-days" aria-label={t("manager.preview.days")} verticalSpacing={4} data-testid="manager-days">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("manager.preview.day")}</Table.Th>
              <Table.Th>{t("manager.preview.state")}</Table.Th>
              <Table.Th>{t("manager.preview.hours")}</Table.Th>
              <Table.Th>{t("manager.preview.why")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {days.data.days.map((d) => (
              <Table.Tr key={d.day} data-testid="manager-day" data-day={d.day} data-open={d.open}>
                <Table.Td>{dayLabel(d.day, i18n.language)}</Table.Td>
                <Table.Td>
                  <Badge color={d.open ? "teal.9" : "gray.8"}>
                    {d.open ? t("manager.preview.open") : t("manager.preview.closed")}
                  </Badge>
                </Table.Td>
                <Table.Td>{d.periods.map((p) => `${p.opens}–${p.closes}`).join(", ") || "—"}</Table.Td>
                <Table.Td>
                  {[
                    ...(d.holiday ? [t("manager.preview.holiday", { name: d.holiday })] : []),
                    ...d.closures.map((c) => c.reason),
                    ...(!d.open && !d.holiday && d.closures.length === 0 ? [t("manager.preview.noHours")] : []),
                  ].join(" · ")}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
