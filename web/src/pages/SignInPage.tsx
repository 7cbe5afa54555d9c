import { Alert, Button, Code, Container, Image, List, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api } from "../api/client";
import type { EnrolmentRequest, EnrolmentView, LoginRequest, Me } from "../api/types";
import { LanguageSwitch } from "../components/LanguageSwitch";
import { groupSecret, svgDataUri } from "../lib/enrolment";
import { signedOutReason, signInError } from "../lib/errors";

interface Props {
  /** error_id (or "manual") of why the user was signed out, if they were */
  reason: string | null;
  onSignedIn: (me: Me) => void;
}

export function SignInPage({ reason, onSignedIn }: Props) {
  const { t } = useTranslation();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [totp, setTotp] = useState("");
  const login = useMutation({
    mutationFn: (body: LoginRequest) =>
      api<Me>("POST", "/api/v1/auth/login", { body, signIn: true }),
    onSuccess: onSignedIn,
  });
  const enrol = useMutation({
    mutationFn: (body: EnrolmentRequest) =>
      api<EnrolmentView>("POST", "/api/v1/auth/enrolment", { body, signIn: true }),
  });
  const why = signedOutReason(reason);
  const failed = login.error ? signInError(login.error) : null;
  // The password was right, no code was given, and this account may still set up its
  // authenticator here (a new user, or one whose MFA an administrator reset).
  const canEnrol =
    login.error instanceof ApiError && login.error.body.enrolment_open === true && !enrol.data;
  const code = totp.replace(/\s+/g, "");

  return (
    <Container size={460} py="xl" component="main">
      <Stack gap="md">
        <Stack gap={4} align="center">
          <Title order={1}>careline</Title>
          <Text c="dimmed">{t("signIn.subtitle")}</Text>
        </Stack>
        {why && !failed && (
          <Alert color="blue" title={t("signIn.reasons.title")} data-testid="signed-out-reason">
            {t(why)}
          </Alert>
        )}
        <Paper withBorder p="lg" radius="md">
          <form
            noValidate
            aria-labelledby="sign-in-title"
            onSubmit={(event) => {
              event.preventDefault();
              if (!username || !password) return;
              login.mutate({ username: username.trim(), password, totp: code || null });
            }}
          >
            <Stack gap="sm">
              <Title order={2} size="h3" id="sign-in-title">
                {t("signIn.title")}
              </Title>
              {failed && (
                <Alert color="red" role="alert" title={t("signIn.errors.title")} data-testid="sign-in-error">
                  {t(failed.key, failed.values)}
                </Alert>
              )}
              <TextInput
                label={t("signIn.username")}
                name="username"
                autoComplete="username"
                required
                value={username}
                onChange={(e) => { setUsername(e.currentTarget.value); }}
              />
              <PasswordInput
                label={t("signIn.password")}
                name="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => { setPassword(e.currentTarget.value); }}
              />
              <TextInput
                label={t("signIn.totp")}
                description={t("signIn.totpHelp")}
                name="totp"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={10}
                value={totp}
                onChange={(e) => { setTotp(e.currentTarget.value); }}
              />
              {canEnrol && (
                <Alert color="blue" title={t("signIn.enrol.offerTitle")} data-testid="enrol-offer">
                  <Stack gap="xs">
                    <Text size="sm">{t("signIn.enrol.offer")}</Text>
                    <Button
                      variant="light"
                      loading={enrol.isPending}
                      onClick={() => { enrol.mutate({ username: username.trim(), password }); }}
                    >
                      {t("signIn.enrol.start")}
                    </Button>
                  </Stack>
                </Alert>
              )}
              {enrol.error && (
                <Alert color="red" role="alert" title={t("signIn.enrol.failedTitle")}>
                  {enrol.error instanceof ApiError && enrol.error.errorId === "mfa-enrolment-closed"
                    ? t("signIn.enrol.closed")
                    : t(signInError(enrol.error).key, signInError(enrol.error).values)}
                </Alert>
              )}
              {enrol.data && (
                <Paper withBorder p="sm" data-testid="enrolment">
                  <Stack gap="xs" align="center">
                    <Title order={3} size="h4">
                      {t("signIn.enrol.title")}
                    </Title>
                    <List type="ordered" size="sm" spacing={4}>
                      <List.Item>{t("signIn.enrol.step1")}</List.Item>
                      <List.Item>{t("signIn.enrol.step2")}</List.Item>
                      <List.Item>{t("signIn.enrol.step3")}</List.Item>
                    </List>
                    <Image
                      src={svgDataUri(enrol.data.qr_svg)}
                      alt={t("signIn.enrol.qrAlt")}
                      w={220}
                      h={220}
                      data-testid="enrolment-qr"
                    />
                    <Text size="sm">{t("signIn.enrol.typeInstead")}</Text>
                    <Code data-testid="enrolment-secret" fz="md">
                      {groupSecret(enrol.data.secret)}
                    </Code>
                  </Stack>
                </Paper>
              )}
              <Button type="submit" loading={login.isPending} disabled={!username || !password}>
                {t("signIn.submit")}
              </Button>
              <Text size="sm" c="dimmed">
                {t("signIn.noCode")}
              </Text>
            </Stack>
          </form>
        </Paper>
        <LanguageSwitch />
      </Stack>
    </Container>
  );
}
