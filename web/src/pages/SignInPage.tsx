import { Alert, Button, Container, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../api/client";
import type { LoginRequest, Me } from "../api/types";
import { LanguageSwitch } from "../components/LanguageSwitch";
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
  const why = signedOutReason(reason);
  const failed = login.error ? signInError(login.error) : null;
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
