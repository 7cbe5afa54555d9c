// The manager's console, clinics: opening hours per weekday, holidays and single
// closures, and a preview of "open now" and the next 14 days (issue 12).
import "../components/manager/manager.css";
import { Loader, Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Me } from "../api/types";
import { ErrorNote } from "../components/ErrorNote";
import { ClosuresPanel } from "../components/manager/ClosuresPanel";
import { HoursEditor } from "../components/manager/HoursEditor";
import { ManageScreen } from "../components/manager/ManageScreen";
import { OpenPreview } from "../components/manager/OpenPreview";
import { useLocation } from "../components/manager/queries";

function Clinic({ id }: { id: string }) {
  const { t } = useTranslation();
  const location = useLocation(id);
  if (location.error) return <ErrorNote error={location.error} />;
  if (!location.data) return <Loader role="status" aria-label={t("common.loading")} />;
  const clinic = location.data;
  return (
    <div className="manager-clinic" data-testid="manager-clinic" data-clinic={clinic.id}>
      <Stack gap="xl">
        {/* Keyed by the saved hours: a save elsewhere reloads the rows. */}
        <HoursEditor key={JSON.stringify(clinic.hours)} clinic={clinic} />
        <ClosuresPanel clinic={clinic} />
      </Stack>
      <OpenPreview clinic={clinic} />
    </div>
  );
}

export function ManagerClinicsPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <ManageScreen me={me} title={t("manager.clinics.title")} intro={t("manager.clinics.intro")}>
      {(clinic) => <Clinic key={clinic.id} id={clinic.id} />}
    </ManageScreen>
  );
}
