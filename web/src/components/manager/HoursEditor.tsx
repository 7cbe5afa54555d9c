// Opening hours per weekday, saved with one PATCH of `hours` (the closures are not sent).
import { Alert, Button, Checkbox, Group, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api } from "../../api/client";
import type { LocationView } from "../../api/types";
import { hoursOf, type Interval, positionOf, weekOf, WEEKDAYS, weekProblems } from "../../lib/manager";
import { ErrorNote } from "../ErrorNote";

/** "Monday" ... "Sunday" in the UI language (5 January 2026 was a Monday). */
export function weekdayName(weekday: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" }).format(new Date(Date.UTC(2026, 0, 5 + weekday, 12)));
}

export function HoursEditor({ clinic }: { clinic: LocationView }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [week, setWeek] = useState<Interval[][]>(() => weekOf(clinic.hours));
  const [saved, setSaved] = useState(false);
  const problems = weekProblems(week);

  const save = useMutation({
    mutationFn: (hours: ReturnType<typeof hoursOf>) =>
      api<LocationView>("PATCH", `/api/v1/locations/${encodeURIComponent(clinic.id)}`, { body: { hours } }),
    onSuccess: async (updated) => {
      setWeek(weekOf(updated.hours));
      setSaved(true);
      await client.invalidateQueries({ queryKey: ["locations"] });
    },
  });

  // The server's field errors ("body.hours.3") on the row they are about.
  const serverErrors = new Map<string, string>();
  let otherError: unknown = save.error;
  if (save.error instanceof ApiError && save.error.status === 422) {
    for (const e of save.error.fieldErrors) {
      const match = /^body\.hours\.(\d+)/.exec(e.field);
      const at = match ? positionOf(week, Number(match[1])) : null;
      if (at) serverErrors.set(`${String(at[0])}.${String(at[1])}`, e.message);
    }
    if (serverErrors.size > 0) otherError = null;
  }

  const change = (next: Interval[][]) => {
    setWeek(next);
    setSaved(false);
    save.reset();
  };
  const edit = (weekday: number, row: number, patch: Partial<Interval>) => {
    change(week.map((day, d) => (d === weekday ? day.map((iv, r) => (r === row ? { ...iv, ...patch } : iv)) : day)));
  };
  const setDay = (weekday: number, day: Interval[]) => {
    change(week.map((old, d) => (d === weekday ? day : old)));
  };

  return (
    <Stack gap="sm" component="section" aria-labelledby="manager-hours-title" data-testid="manager-hours">
      <Title order={3} id="manager-hours-title">
        {t("manager.hours.title")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("manager.hours.help", { zone: clinic.timezone })}
      </Text>
      <div className="manager-week">
        {WEEKDAYS.map((weekday) => {
          const name = weekdayName(weekday, i18n.language);
          const day = week[weekday] ?? [];
          return (
            <div key={weekday} style={{ display: "contents" }} data-testid={`manager-hours-day-${String(weekday)}`}>
              <Text fw={500} pt={6}>
                {name}
              </Text>
              <Checkbox
                pt={8}
                label={t("manager.hours.open")}
                aria-label={t("manager.hours.openOn", { day: name })}
                checked={day.length > 0}
                onChange={(e) => {
                  setDay(weekday, e.currentTarget.checked ? [{ opens: "08:00", closes: "17:00" }] : []);
                }}
              />
              <Stack gap={6}>
                {day.length === 0 && (
                  <Text size="sm" c="dimmed" pt={6}>
                    {t("manager.hours.closed")}
                  </Text>
                )}
                {day.map((iv, row) => {
                  const key = `${String(weekday)}.${String(row)}`;
                  const problem = problems.get(key);
                  const error = problem ? t(`manager.hours.problems.${problem}`) : serverErrors.get(key);
                  return (
                    <Group key={row} gap="xs" align="flex-start" wrap="wrap">
                      <TextInput
                        className="manager-time manager-field"
                        aria-label={t("manager.hours.opensOn", { day: name, n: row + 1 })}
                        placeholder="08:00"
                        value={iv.opens}
                        onChange={(e) => {
                          edit(weekday, row, { opens: e.currentTarget.value });
                        }}
                        error={!!error}
                      />
                      <Text pt={6}>–</Text>
                      <TextInput
                        className="manager-time manager-field"
                        aria-label={t("manager.hours.closesOn", { day: name, n: row + 1 })}
                        placeholder="17:00"
                        value={iv.closes}
                        onChange={(e) => {
                          edit(weekday, row, { closes: e.currentTarget.value });
                        }}
                        error={!!error}
                      />
                      <Button
                        variant="default"
                        size="xs"
                        mt={4}
                        aria-label={t("manager.hours.removeOn", { day: name, n: row + 1 })}
                        onClick={() => {
                          setDay(weekday, day.filter((_, r) => r !== row));
                        }}
                      >
                        {t("manager.hours.remove")}
                      </Button>
                      {error && (
                        <Text size="sm" c="red.8" pt={6} role="alert">
                          {error}
                        </Text>
                      )}
                    </Group>
                  );
                })}
                {day.length > 0 && (
                  <Button
                    variant="default"
                    size="xs"
                    w="fit-content"
                    aria-label={t("manager.hours.addOn", { day: name })}
                    onClick={() => {
                      const last = day[day.length - 1];
                      setDay(weekday, [...day, { opens: last?.closes ?? "13:00", closes: "17:00" }]);
                    }}
                  >
                    {t("manager.hours.add")}
                  </Button>
                )}
              </Stack>
            </div>
          );
        })}
      </div>
      {otherError != null && <ErrorNote error={otherError} title={t("manager.hours.notSaved")} />}
      {saved && (
        <Alert color="teal" role="status" data-testid="manager-hours-saved">
          {t("manager.hours.saved")}
        </Alert>
      )}
      <Group>
        <Button
          onClick={() => {
            save.mutate(hoursOf(week));
          }}
          disabled={problems.size > 0}
          loading={save.isPending}
        >
          {t("manager.hours.save")}
        </Button>
        <Button
          variant="default"
          onClick={() => {
            change(weekOf(clinic.hours));
          }}
        >
          {t("manager.hours.reset")}
        </Button>
      </Group>
    </Stack>
  );
}
