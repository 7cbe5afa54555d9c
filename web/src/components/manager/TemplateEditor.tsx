// One language's reminder wording: the textarea, what the server would refuse, the
// preview with a made-up patient (as sent: folded to GSM-7), its segment count, and
// minimum-necessary PHI warnings.
import { Alert, Badge, Button, Group, Stack, Text, Textarea } from "@mantine/core";
import { useTranslation } from "react-i18next";
import {
  demoValues,
  fillTemplate,
  phiWarnings,
  type ReminderPlanView,
  STANDARD,
  TEMPLATE_MAX,
  type TemplateLanguage,
  templateProblems,
} from "../../lib/manager";
import { countSegments, foldedCharacters, toGsm7 } from "../../lib/segments";

export function TemplateEditor({
  lang,
  value,
  onChange,
  plan,
  clinicName,
  serverErrors,
}: {
  lang: TemplateLanguage;
  value: string;
  onChange: (value: string) => void;
  plan: ReminderPlanView;
  clinicName: string;
  serverErrors: string[];
}) {
  const { t } = useTranslation();
  const wording = value.trim() ? value : STANDARD[lang].reminder;
  const problems = value.trim() ? templateProblems(value) : [];
  const preview = toGsm7(fillTemplate(wording, demoValues(lang, clinicName, plan)));
  const segments = countSegments(preview);
  const folded = foldedCharacters(fillTemplate(wording, demoValues(lang, clinicName, plan)));
  const warnings = phiWarnings(wording, plan);
  const label = t(`manager.messages.lang.${lang}`);
  const errors = [...problems.map((p) => t(`manager.messages.problems.${p.key}`, { names: "names" in p ? p.names : "", max: TEMPLATE_MAX })), ...serverErrors];

  return (
    <Stack gap="xs" data-testid={`manager-template-${lang}`} lang={lang}>
      <Textarea
        className="manager-field"
        label={t("manager.messages.wording", { language: label })}
        description={value.trim() ? t("manager.messages.custom") : t("manager.messages.usingStandard")}
        placeholder={STANDARD[lang].reminder}
        autosize
        minRows={4}
        maxRows={10}
        value={value}
        onChange={(e) => {
          onChange(e.currentTarget.value);
        }}
        error={errors.length > 0}
      />
      {errors.length > 0 && (
        <Text size="sm" c="red.8" role="alert" data-testid="manager-template-errors">
          {errors.join(" · ")}
        </Text>
      )}
      <Group gap="xs">
        <Button
          size="xs"
          variant="default"
          onClick={() => {
            onChange(STANDARD[lang].reminder);
          }}
        >
          {t("manager.messages.startFromStandard")}
        </Button>
        {value && (
          <Button
            size="xs"
            variant="default"
            onClick={() => {
              onChange("");
            }}
          >
            {t("manager.messages.useStandard")}
          </Button>
        )}
      </Group>
      <Text size="sm" fw={500} id={`manager-preview-${lang}`}>
        {t("manager.messages.preview")}
      </Text>
      <div className="manager-preview" aria-labelledby={`manager-preview-${lang}`} role="region" data-testid="manager-template-preview">
        {preview}
      </div>
      <Group gap="xs" data-testid="manager-segments" data-encoding={segments.encoding} data-segments={segments.segments}>
        <Badge color={segments.encoding === "GSM-7" ? "teal.9" : "orange.9"}>
          {segments.encoding}
        </Badge>
        <Text size="sm">
          {t("manager.messages.segments", { count: segments.segments, units: segments.units, per: segments.perSegment })}
        </Text>
      </Group>
      {segments.forcedBy.length > 0 && (
        <Text size="sm" c="orange.9">
          {t("manager.messages.forcedBy", { chars: segments.forcedBy.join(" ") })}
        </Text>
      )}
      {folded.length > 0 && (
        <Text size="sm" c="dimmed">
          {t("manager.messages.folded", { chars: folded.map((f) => `${f.from} → ${f.to}`).join(", ") })}
        </Text>
      )}
      {warnings.length > 0 && (
        <Alert color="orange" title={t("manager.messages.phiTitle")} data-testid="manager-phi-warning">
          {warnings.map((w) => (
            <Text size="sm" key={w.key + ("placeholder" in w ? w.placeholder : "")}>
              {t(`manager.messages.phi.${w.key}`, { placeholder: "placeholder" in w ? w.placeholder : "" })}
            </Text>
          ))}
        </Alert>
      )}
    </Stack>
  );
}
