import { Anchor, Button, Group, NavLink, Text, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { NavLink as RouterNavLink, Outlet, useLocation } from "react-router-dom";
import { api } from "../api/client";
import { useLiveUpdates } from "../api/live";
import type { Me } from "../api/types";
import { LanguageSwitch } from "../components/LanguageSwitch";
import { canAudit } from "../lib/audit";
import { type Screen, screensFor } from "../lib/roles";

const PATHS: Record<Screen, string> = {
  desk: "/desk",
  worklist: "/worklist",
  calls: "/calls",
  wall: "/wall",
  clinics: "/manage/clinics",
  messages: "/manage/messages",
  patients: "/patients",
  inbox: "/inbox",
  sessions: "/account/sessions",
};

/** Screens whose nav label lives with their feature's strings. */
const LABELS: Partial<Record<Screen, string>> = {
  clinics: "manager.nav.clinics",
  messages: "manager.nav.messages",
};

interface Props {
  me: Me;
  onSignedOut: () => void;
}

export function Shell({ me, onSignedOut }: Props) {
  const { t } = useTranslation();
  const location = useLocation();
  const signOut = useMutation({
    mutationFn: () => api<undefined>("POST", "/api/v1/auth/logout", { signIn: true }),
    // Signed out either way: a failed logout call must not keep the screen open.
    onSettled: onSignedOut,
  });
  const roles = me.user.roles.map((r) => t(`roles.${r.role}`));
  const live = useLiveUpdates(true);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t("shell.skip")}
      </a>
      <header className="shell-header">
        <Group justify="space-between" h="100%" px="md" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Title order={1} size="h3">
              careline
            </Title>
          </Group>
          <Group gap="md" wrap="nowrap">
            <Text size="sm" data-testid="signed-in-as">
              {t("shell.signedInAs", { name: me.user.display_name })}{" "}
              <Text span c="dimmed" size="sm">
                ({roles.join(", ")})
              </Text>
            </Text>
            <Text size="xs" c={live === "live" ? "teal.9" : "red.9"} data-testid="live-state" data-state={live} role="status">
              {t(`shell.live.${live}`)}
            </Text>
            <LanguageSwitch />
            <Button variant="default" size="xs" onClick={() => { signOut.mutate(); }} loading={signOut.isPending}>
              {t("shell.signOut")}
            </Button>
          </Group>
        </Group>
      </header>
      <nav className="shell-nav" aria-label={t("shell.navigation")}>
        {screensFor(me).map((screen) => (
          <NavLink
            key={screen}
            component={RouterNavLink}
            to={PATHS[screen]}
            label={t(LABELS[screen] ?? `nav.${screen}`)}
            active={location.pathname.startsWith(PATHS[screen])}
          />
        ))}
        {canAudit(me) && (
          <NavLink component={RouterNavLink} to="/audit" label={t("audit.nav")} active={location.pathname.startsWith("/audit")} />
        )}
        <Text size="xs" c="dimmed" px="sm" mt="lg">
          {t("shell.idleNote")}
        </Text>
      </nav>
      <main id="main" className="shell-main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="shell-footer">
        <Anchor href="/openapi.json" size="xs" c="dimmed">
          {t("shell.apiDescription")}
        </Anchor>
      </footer>
    </div>
  );
}
