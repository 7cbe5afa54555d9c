// A clinic's local closures, each added or removed on its own
// (POST/DELETE /locations/{id}/closures[/{closure_id}]): one edit never deletes another.
import { Alert, Badge, Button, Checkbox, Group, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api } from "../../api/client";
import type { LocationView } from "../../api/types";
import { type ClosureIn, type ClosureView, closureSpan, sortClosures } from "../../lib/manager";
import { dayIn, formatDay } from "../../lib/time";
import { ErrorNote } from "../ErrorNote";

const empty = { starts_on: "", ends_on: "", partDay: false, closed_from: "12:00", closed_until: "17:00", reason: "" };

function shortDay(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", weekday: "short", month: "short", day: "numeric", year: "numeric" }).format(
    new Date(`${day}T12:00:00Z`),
  );
}

function ClosureRow({ clinic, closure, past }: { clinic: LocationView; closure: ClosureView; past: boolean }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const remove = useMutation({
    mutationFn: () =>
      api<undefined>("DELETE", `/api/v1/locations/${encodeURIComponent(clinic.id)}/closures/${encodeURIComponent(closure.id)}`),
    onSettled: () => client.invalidateQueries({ queryKey: ["locations"] }),
  });
  const span = closureSpan(closure);
  const when = span.to
    ? t("manager.closures.range", { from: shortDay(span.from, i18n.language), to: shortDay(span.to, i18n.language) })
    : shortDay(span.from, i18n.language);
  return (
    <Table.Tr data-testid="manager-closure" data-closure={closure.id}>
      <Table.Td>{when}</Table.Td>
      <Table.Td>{span.hours ?? t("manager.closures.allDay")}</Table.Td>
      <Table.Td>
        {closure.reason} {past && <Badge color="gray.7">{t("manager.closures.past")}</Badge>}
      </Table.Td>
      <Table.Td>
        <Button
          size="xs"
          variant="default"
          loading={remove.isPending}
          aria-label={t("manager.closures.removeOne", { reason: closure.reason, when })}
          onClick={() => {
            remove.mutate();
          }}
        >
          {t("manager.closures.remove")}
        </Button>
        {remove.error && <ErrorNote error={remove.error} title={t("manager.closures.notRemoved")} />}
      </Table.Td>
    </Table.Tr>
  );
}

export function ClosuresPanel({ clinic }: { clinic: LocationView }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [form, setForm] = useState(empty);
  const [added, setAdded] = useState<string | null>(null);
  const today = dayIn(clinic.timezone);
  const { upcoming, past } = sortClosures(clinic.closures, today);

  const add = useMutation({
    mutationFn: (closure: ClosureIn) =>
      api<ClosureView>("POST", `/api/v1/locations/${encodeURIComponent(clinic.id)}/closures`, { body: closure }),
    onSuccess: async (closure) => {
      setForm(empty);
      setAdded(closure.reason);
      await client.invalidateQueries({ queryKey: ["locations"] });
    },
  });
  const fieldError = (name: string): string | undefined => {
    if (!(add.error instanceof ApiError)) return undefined;
    const found = add.error.fieldErrors.filter((e) => e.field === `body.${name}` || e.field.startsWith(`body.closures.0.${name}`));
    return found.length ? found.map((e) => e.message).join("; ") : undefined;
  };
  const named = ["starts_on", "ends_on", "closed_from", "closed_until", "reason"].some((n) => fieldError(n));
  const set = (patch: Partial<typeof empty>) => {
    setForm({ ...form, ...patch });
    setAdded(null);
    add.reset();
  };

  const holidays = clinic.observe_holidays && clinic.holiday_country
    ? t("manager.closures.holidays", {
        calendar: clinic.holiday_subdivision ? `${clinic.holiday_country}-${clinic.holiday_subdivision}` : clinic.holiday_country,
      })
    : t("manager.closures.noHolidays");

  return (
    <Stack gap="sm" component="section" aria-labelledby="manager-closures-title" data-testid="manager-closures">
      <Title order={3} id="manager-closures-title">
        {t("manager.closures.title")}
      </Title>
      <Text size="sm" data-testid="manager-holiday-calendar">
        {holidays}
      </Text>
      {clinic.closures.length === 0 ? (
        <Text c="dimmed" data-testid="manager-no-closures">
          {t("manager.closures.none")}
        </Text>
      ) : (
        <Table aria-labelledby="manager-closures-title" verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("manager.closures.when")}</Table.Th>
              <Table.Th>{t("manager.closures.hours")}</Table.Th>
              <Table.Th>{t("manager.closures.reason")}</Table.Th>
              <Table.Th>{t("manager.closures.actions")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {upcoming.map((c) => (
              <ClosureRow key={c.id} clinic={clinic} closure={c} past={false} />
            ))}
            {past.map((c) => (
              <ClosureRow key={c.id} clinic={clinic} closure={c} past />
            ))}
          </Table.Tbody>
        </Table>
      )}
      <form
        aria-labelledby="manager-closure-add-title"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate({
            starts_on: form.starts_on,
            ends_on: form.ends_on || null,
            closed_from: form.partDay ? form.closed_from : null,
            closed_until: form.partDay ? form.closed_until : null,
            reason: form.reason.trim(),
          });
        }}
      >
        <Stack gap="xs">
          <Title order={4} id="manager-closure-add-title">
            {t("manager.closures.addTitle")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("manager.closures.addHelp")}
          </Text>
          <Group align="flex-start">
            <TextInput
              className="manager-field"
              type="date"
              required
              label={t("manager.closures.startsOn")}
              value={form.starts_on}
              onChange={(e) => {
                set({ starts_on: e.currentTarget.value });
              }}
              error={!!fieldError("starts_on")}
            />
            <TextInput
              className="manager-field"
              type="date"
              label={t("manager.closures.endsOn")}
              description={t("manager.closures.endsOnHelp")}
              value={form.ends_on}
              min={form.starts_on || undefined}
              onChange={(e) => {
                set({ ends_on: e.currentTarget.value });
              }}
              error={!!fieldError("ends_on")}
            />
            <TextInput
              className="manager-field"
              required
              label={t("manager.closures.reason")}
              description={t("manager.closures.reasonHelp")}
              maxLength={120}
              value={form.reason}
              onChange={(e) => {
                set({ reason: e.currentTarget.value });
              }}
              error={!!fieldError("reason")}
            />
          </Group>
          <Checkbox
            label={t("manager.closures.partDay")}
            checked={form.partDay}
            onChange={(e) => {
              set({ partDay: e.currentTarget.checked });
            }}
          />
          {form.partDay && (
            <Group align="flex-start">
              <TextInput
                className="manager-time manager-field"
                label={t("manager.closures.closedFrom")}
                value={form.closed_from}
                onChange={(e) => {
                  set({ closed_from: e.currentTarget.value });
                }}
                error={!!fieldError("closed_from")}
              />
              <TextInput
                className="manager-time manager-field"
                label={t("manager.closures.closedUntil")}
                value={form.closed_until}
                onChange={(e) => {
                  set({ closed_until: e.currentTarget.value });
                }}
                error={!!fieldError("closed_until")}
              />
            </Group>
          )}
          {add.error != null &&
            (named ? (
              <Text size="sm" c="red.8" role="alert">
                {t("manager.closures.fix")}{" "}
                {add.error instanceof ApiError && add.error.fieldErrors.map((e) => e.message).join("; ")}
              </Text>
            ) : (
              <ErrorNote error={add.error} title={t("manager.closures.notAdded")} />
            ))}
          {added && (
            <Alert color="teal" role="status" data-testid="manager-closure-added">
              {t("manager.closures.added", { reason: added })}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={add.isPending} disabled={!form.starts_on || !form.reason.trim()}>
              {t("manager.closures.add")}
            </Button>
            {form.starts_on && (
              <Text size="sm" c="dimmed">
                {formatDay(form.starts_on, i18n.language)}
              </Text>
            )}
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
