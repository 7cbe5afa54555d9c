import { Group, Loader, Select, Stack, Text, Title } from "@mantine/core";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLocations } from "../api/queries";
import type { LocationView, Me } from "../api/types";
import { clinicIdsOf } from "../lib/roles";
import { ErrorNote } from "./ErrorNote";

const CLINIC_KEY = "careline.clinic"; // a location id: not PHI

function savedClinic(): string | null {
  try {
    return window.localStorage.getItem(CLINIC_KEY);
  } catch {
    return null;
  }
}

/** The clinics the user works for, by name (every clinic for a network-wide role). */
export function myClinics(me: Me, locations: LocationView[]): LocationView[] {
  const ids = clinicIdsOf(me);
  const mine = ids === "all" ? locations : locations.filter((l) => ids.includes(l.id));
  return [...mine].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A screen about one of the user's clinics (Today, the Inbox): its title, a clinic
 * choice when the user has several (remembered across screens), and the body for
 * the clinic chosen.
 */
export function ClinicScreen({
  me,
  title,
  children,
}: {
  me: Me;
  title: string;
  children: (clinic: LocationView, locations: LocationView[]) => ReactNode;
}) {
  const { t } = useTranslation();
  const locations = useLocations();
  const [chosen, setChosen] = useState<string | null>(savedClinic);
  const all = locations.data?.items ?? [];
  const clinics = myClinics(me, all);
  const clinic = clinics.find((c) => c.id === chosen) ?? clinics[0] ?? null;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>{title}</Title>
        {clinics.length > 1 && (
          <Select
            label={t("today.clinic")}
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
      {locations.data && !clinic && <Text>{t("today.noClinic")}</Text>}
      {clinic && children(clinic, all)}
    </Stack>
  );
}
