import { Alert } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { actionError } from "../lib/errors";

/** A failed load or action, in words. */
export function ErrorNote({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  const explained = actionError(error);
  return (
    <Alert color="red" role="alert" title={title ?? t("errors.title")}>
      {t(explained.key, explained.values)}
    </Alert>
  );
}
