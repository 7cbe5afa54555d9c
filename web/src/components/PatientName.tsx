import { Anchor, Skeleton, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { patientQuery } from "../api/queries";

/** "Family, Given" of a patient, linking to their page (the URL carries only the id). */
export function PatientName({ id, link = true }: { id: string; link?: boolean }) {
  const { t } = useTranslation();
  const patient = useQuery(patientQuery(id));
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
