import { Center, Loader } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, Route, Routes, useNavigate } from "react-router-dom";
import { ApiError, onSignedOut } from "./api/client";
import { fetchMe, keys } from "./api/queries";
import type { Me } from "./api/types";
import { landingPath } from "./lib/roles";
import { AuditPage } from "./pages/AuditPage";
import { CallsPage } from "./pages/CallsPage";
import { InboxPage } from "./pages/InboxPage";
import { ManagerClinicsPage } from "./pages/ManagerClinicsPage";
import { ManagerMessagesPage } from "./pages/ManagerMessagesPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { PatientPage } from "./pages/PatientPage";
import { PatientsPage } from "./pages/PatientsPage";
import { SessionsPage } from "./pages/SessionsPage";
import { Shell } from "./pages/Shell";
import { SignInPage } from "./pages/SignInPage";
import { TodayPage } from "./pages/TodayPage";
import { WallPage } from "./pages/WallPage";
import { WorklistPage } from "./pages/WorklistPage";

export function App() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const navigate = useNavigate();
  // Why the user is on the sign-in page (idle logoff, signed out elsewhere...).
  const [signedOutWhy, setSignedOutWhy] = useState<string | null>(null);

  const me = useQuery<Me | null>({
    queryKey: keys.me,
    queryFn: async () => {
      try {
        return await fetchMe();
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          if (error.errorId === "session-expired") setSignedOutWhy(error.errorId);
          return null;
        }
        throw error;
      }
    },
    staleTime: Infinity,
    retry: false,
  });

  useEffect(
    () =>
      onSignedOut((error) => {
        // Any 401 mid-work: the session idled out or was ended. Forget what we loaded.
        setSignedOutWhy(error.errorId);
        client.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.me[0] });
        client.setQueryData(keys.me, null);
        navigate("/sign-in", { replace: true });
      }),
    [client, navigate],
  );

  if (me.isPending) {
    return (
      <Center h="100vh">
        <Loader role="status" aria-label={t("common.loading")} />
      </Center>
    );
  }
  const user = me.data ?? null;

  const signedIn = (element: React.ReactNode) =>
    user ? element : <Navigate to="/sign-in" replace />;

  return (
    <Routes>
      <Route
        path="/sign-in"
        element={
          user ? (
            <Navigate to={landingPath(user)} replace />
          ) : (
            <SignInPage
              reason={signedOutWhy}
              onSignedIn={(signed) => {
                setSignedOutWhy(null);
                client.setQueryData(keys.me, signed);
                navigate(landingPath(signed), { replace: true });
              }}
            />
          )
        }
      />
      <Route
        element={signedIn(
          user && (
            <Shell
              me={user}
              onSignedOut={() => {
                setSignedOutWhy("manual");
                client.clear();
                client.setQueryData(keys.me, null);
                navigate("/sign-in", { replace: true });
              }}
            />
          ),
        )}
      >
        <Route index element={user ? <Navigate to={landingPath(user)} replace /> : null} />
        <Route path="/desk" element={user && <TodayPage me={user} />} />
        <Route path="/worklist" element={user && <WorklistPage me={user} />} />
        <Route path="/calls" element={user && <CallsPage me={user} />} />
        <Route path="/wall" element={user && <WallPage me={user} />} />
        <Route path="/inbox" element={user && <InboxPage me={user} />} />
        <Route path="/manage/clinics" element={user && <ManagerClinicsPage me={user} />} />
        <Route path="/manage/messages" element={user && <ManagerMessagesPage me={user} />} />
        <Route path="/patients" element={<PatientsPage />} />
        <Route path="/patients/:patientId" element={user && <PatientPage />} />
        <Route path="/audit" element={user && <AuditPage me={user} />} />
        <Route path="/account/sessions" element={<SessionsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
