import { Group, Loader, Select, Stack, Text, Title } from "@mantine/core";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLocations } from "../../api/queries";
import type { LocationView, Me } from "../../api/types";
import { managedClinicIds } from "../../lib/manager";
import { ErrorNote } from "../ErrorNote";

const CLINIC_KEY = "careline.clinic"; // a location id, shared with the other screens: not PHI

function savedClinic(): string | null {
  try {
    return window.localStorage.getItem(CLINIC_KEY);
  } catch {
    return null;
  }
}

/** The clinics this user may change, by name. */
export function managedClinics(me: Me, locations: LocationView[]): LocationView[] {
  const ids = managedClinicIds(me);
  const mine = ids === "all" ? locations : locations.filter((l) => ids.includes(l.id));
  return [...mine].sort((a, b) => a.name.localeCompare(b.name));
}

/** A manager's screen about one clinic in their scope: title, clinic choice, body. */
export function ManageScreen({
  me,
  title,
  intro,
  children,
}: {
  me: Me;
  title: string;
  intro: string;
  children: (clinic: LocationView) => ReactNode;
}) {
  const { t } = useTranslation();
  const locations = useLocations();
  const [chosen, setChosen] = useState<string | null>(savedClinic);
  const clinics = managedClinics(me, locations.data?.items ?? []);
  const clinic = clinics.find((c) => c.id === chosen) ?? clinics[0] ?? null;
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={2}>{title}</Title>
          <Text size="sm" c="dimmed">
            {intro}
          </Text>
        </Stack>
        {clinics.length > 0 && (
          <Select
            label={t("manager.clinic")}
            data={clinics.map((c) => ({ value: c.id, label: c.name }))}
            value={clinic?.id ?? null}
            allowDeselect={false}
            onChange={(value) => {
              setChosen(value);
              try {
                if (value) window.localStorage.setItem(CLINIC_KEY, value);
              } catch {
                // not remembered; fine
              }
            }}
          />
        )}
      </Group>
      {locations.isPending && <Loader role="status" aria-label={t("common.loading")} />}
      {locations.error && <ErrorNote error={locations.error} />}
      {locations.data && !clinic && <Text data-testid="manager-no-clinic">{t("manager.noClinic")}</Text>}
      {clinic && children(clinic)}
    </Stack>
  );
}
