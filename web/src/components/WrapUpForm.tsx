import { Button, Group, Select, Stack, Text, Textarea, Title } from "@mantine/core";
import { type FormEvent, forwardRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { DISPOSITIONS, type Disposition, formatDuration, NOTE_MAX } from "../lib/desk";
import { ErrorNote } from "./ErrorNote";

interface Props {
  secondsLeft: number | null;
  saving: boolean;
  finishing: boolean;
  error: unknown;
  onSubmit: (disposition: Disposition, note: string) => void;
  onFinish: () => void;
}

/** Disposition and note after a call; Ctrl+Enter submits (see the page's shortcuts). */
export const WrapUpForm = forwardRef<HTMLFormElement, Props>(function WrapUpForm(
  { secondsLeft, saving, finishing, error, onSubmit, onFinish },
  ref,
) {
  const { t } = useTranslation();
  const [disposition, setDisposition] = useState<Disposition | null>(null);
  const [note, setNote] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (disposition) onSubmit(disposition, note);
  };
  return (
    <form ref={ref} aria-labelledby="wrap-up-title" onSubmit={submit} data-testid="wrap-up-form">
      <Stack gap="sm" maw={640}>
        <Title order={3} id="wrap-up-title">
          {t("calls.wrapUp.title")}
        </Title>
        <Text size="sm">{t("calls.wrapUp.help")}</Text>
        {secondsLeft !== null && (
          <Text size="sm" c="dimmed" data-testid="wrap-up-left">
            {t("calls.wrapUp.left", { time: formatDuration(secondsLeft) })}
          </Text>
        )}
        <Select
          label={t("calls.wrapUp.disposition")}
          placeholder={t("calls.wrapUp.dispositionPlaceholder")}
          data={DISPOSITIONS.map((d) => ({ value: d, label: t(`calls.dispositions.${d}`) }))}
          value={disposition}
          onChange={(value) => { setDisposition(value as Disposition | null); }}
          required
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
        <Textarea
          label={t("calls.wrapUp.note")}
          description={t("calls.wrapUp.noteHelp")}
          autosize
          minRows={3}
          maxLength={NOTE_MAX}
          value={note}
          onChange={(e) => { setNote(e.currentTarget.value); }}
        />
        <Group>
          <Button type="submit" disabled={!disposition} loading={saving}>
            {t("calls.wrapUp.submit")}
          </Button>
          <Button variant="default" onClick={onFinish} loading={finishing}>
            {t("calls.wrapUp.skip")}
          </Button>
        </Group>
        {error !== null && error !== undefined && <ErrorNote error={error} title={t("calls.wrapUp.failed")} />}
      </Stack>
    </form>
  );
});
