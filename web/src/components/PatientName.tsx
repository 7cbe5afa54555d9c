import { Anchor, Skeleton, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { loadPatientSummary } from "../api/names";

/** "Family, Given" of a patient, linking to their page (the URL carries only the id). */
export function PatientName({ id, link = true }: { id: string; link?: boolean }) {
  const { t } = useTranslation();
  // Names of a list come in one batched request (see api/names.ts), not one per row.
  const patient = useQuery({
    queryKey: ["patient-summary", id],
    queryFn: () => loadPatientSummary(id),
    staleTime: 5 * 60_000,
  });
  if (patient.isPending) return <Skeleton height={14} width={120} />;
  if (!patient.data) return <Text span c="dimmed">{t("patient.unavailable")}</Text>;
  const name = `${patient.data.family_name}, ${patient.data.given_name}`;
  return link ? (
    <Anchor component={Link} to={`/patients/${encodeURIComponent(id)}`}>
      {name}
    </Anchor>
  ) : (
    <>{name}</>
  );
}
