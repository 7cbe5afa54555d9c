import { Alert, Button, Group, SegmentedControl, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { api } from "../api/client";
import type { PatientMatch, PatientSearch } from "../api/types";
import { ErrorNote } from "../components/ErrorNote";
import { formatBirthDate } from "../lib/time";

type Mode = "phone" | "name";

/** Patient search: by phone, or by family name + date of birth. Always a POST body. */
export function PatientsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Stack gap="lg">
      <Title order={2}>{t("patients.title")}</Title>
      <PatientFinder
        pickLabel={t("patients.open")}
        onPick={(match) => { navigate(`/patients/${encodeURIComponent(match.patient.id)}`); }}
      />
    </Stack>
  );
}

interface FinderProps {
  /** The words on each result's button ("Open", "Book"). */
  pickLabel: string;
  onPick: (match: PatientMatch) => void;
  /** A result being acted on (its button shows progress; the others wait). */
  busyId?: string | null;
  /** The search form's accessible name (default: the Patients page's). */
  formLabel?: string;
  /** A number to search by, filled in (the Inbox: the number that texted). */
  initialPhone?: string;
  /** data-testid of each result row. */
  resultTestId?: string;
}

/** The search form and its results: used by Patients, by booking from Today and by
 * attaching a text from an unknown number in the Inbox. */
export function PatientFinder({
  pickLabel,
  onPick,
  busyId = null,
  formLabel,
  initialPhone = "",
  resultTestId = "match",
}: FinderProps) {
  const { t, i18n } = useTranslation();
  const [mode, setMode] = useState<Mode>("phone");
  const [phone, setPhone] = useState(initialPhone);
  const [family, setFamily] = useState("");
  const [birth, setBirth] = useState("");
  const search = useMutation({
    mutationFn: (body: PatientSearch) =>
      api<PatientMatch[]>("POST", "/api/v1/patients/search", { body }),
  });
  const ready = mode === "phone" ? phone.trim().length > 0 : family.trim().length > 0 && birth !== "";

  return (
    <Stack gap="md">
      <form
        aria-label={formLabel ?? t("patients.searchForm")}
        onSubmit={(event) => {
          event.preventDefault();
          if (!ready) return;
          search.mutate(
            mode === "phone"
              ? { phone: phone.trim() }
              : { family_name: family.trim(), date_of_birth: birth },
          );
        }}
      >
        <Stack gap="sm" maw={520}>
          <SegmentedControl
            aria-label={t("patients.searchBy")}
            value={mode}
            onChange={(value) => {
              setMode(value as Mode);
              search.reset();
            }}
            data={[
              { value: "phone", label: t("patients.byPhone") },
              { value: "name", label: t("patients.byName") },
            ]}
          />
          {mode === "phone" ? (
            <TextInput
              label={t("patients.phone")}
              description={t("patients.phoneHelp")}
              type="tel"
              name="phone"
              autoComplete="off"
              value={phone}
              onChange={(e) => { setPhone(e.currentTarget.value); }}
            />
          ) : (
            <Group grow align="flex-start">
              <TextInput
                label={t("patients.familyName")}
                name="family_name"
                autoComplete="off"
                value={family}
                onChange={(e) => { setFamily(e.currentTarget.value); }}
              />
              <TextInput
                label={t("patients.dateOfBirth")}
                type="date"
                name="date_of_birth"
                value={birth}
                onChange={(e) => { setBirth(e.currentTarget.value); }}
              />
            </Group>
          )}
          <Group>
            <Button type="submit" disabled={!ready} loading={search.isPending}>
              {t("patients.search")}
            </Button>
          </Group>
        </Stack>
      </form>
      {search.error && <ErrorNote error={search.error} title={t("patients.searchFailed")} />}
      {search.data?.length === 0 && (
        <Alert color="gray" data-testid="no-matches">
          {t("patients.noMatches")}
        </Alert>
      )}
      {search.data && search.data.length > 0 && (
        <Table striped withTableBorder highlightOnHover aria-label={t("patients.results")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("patients.name")}</Table.Th>
              <Table.Th>{t("patients.dateOfBirth")}</Table.Th>
              <Table.Th>{t("patients.matchedVia")}</Table.Th>
              <Table.Th>
                <span className="visually-hidden">{pickLabel}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {search.data.map((match) => (
              <Table.Tr key={`${match.patient.id}-${match.caregiver_id ?? ""}`} data-testid={resultTestId}>
                <Table.Td>
                  {match.patient.family_name}, {match.patient.given_name}
                </Table.Td>
                <Table.Td>{formatBirthDate(match.patient.date_of_birth, i18n.language)}</Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {t(`matchedVia.${match.matched_via}`)}
                    {match.caregiver_relationship &&
                      ` (${t(`relationship.${match.caregiver_relationship}`)})`}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Button
                    size="compact-sm"
                    variant="light"
                    loading={busyId === match.patient.id}
                    disabled={busyId !== null && busyId !== match.patient.id}
                    onClick={() => { onPick(match); }}
                  >
                    {pickLabel}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
