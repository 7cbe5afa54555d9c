// The manager's console, messages: a clinic's reminder wording per language and visit
// type (the reminder plan's `templates`), side by side, with a live preview, the SMS
// segment count and minimum-necessary PHI warnings; saved with PUT /reminder-plans.
import "../components/manager/manager.css";
import { Alert, Button, Code, Group, Loader, Select, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api } from "../api/client";
import type { LocationView, Me } from "../api/types";
import { ErrorNote } from "../components/ErrorNote";
import { ManageScreen } from "../components/manager/ManageScreen";
import { managerKeys, useEffectivePlan, usePlans, useVisitTypes } from "../components/manager/queries";
import { TemplateEditor } from "../components/manager/TemplateEditor";
import {
  OPTIONAL_PLACEHOLDERS,
  pickPlan,
  planBody,
  planSource,
  type ReminderPlanView,
  REQUIRED_PLACEHOLDERS,
  TEMPLATE_LANGUAGES,
  templateFieldErrors,
  templateProblems,
} from "../lib/manager";

const EVERY_TYPE = "*"; // the Select's value for "every visit type" (type_code null)

function PlanEditor({ clinic, typeCode, plan }: { clinic: LocationView; typeCode: string | null; plan: ReminderPlanView }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [templates, setTemplates] = useState<Record<string, string>>(() => ({ ...(plan.templates ?? {}) }));
  const [saved, setSaved] = useState(false);
  const source = planSource(plan, clinic.id, typeCode);
  const save = useMutation({
    mutationFn: () => api<ReminderPlanView>("PUT", "/api/v1/reminder-plans", { body: planBody(plan, clinic.id, typeCode, templates) }),
    onSuccess: async (stored) => {
      setTemplates({ ...(stored.templates ?? {}) });
      setSaved(true);
      await client.invalidateQueries({ queryKey: managerKeys.plans });
    },
  });
  const serverErrors = save.error instanceof ApiError && save.error.status === 422 ? templateFieldErrors(save.error.fieldErrors) : {};
  const namedOnField = Object.keys(serverErrors).some((k) => k !== "");
  const blocked = TEMPLATE_LANGUAGES.some((lang) => {
    const text = templates[lang] ?? "";
    return text.trim() !== "" && templateProblems(text).length > 0;
  });

  return (
    <Stack gap="md" data-testid="manager-plan" data-source={source}>
      <Text size="sm" data-testid="manager-plan-source">
        {t(`manager.messages.source.${source}`)}
      </Text>
      <Text size="sm">
        {t("manager.messages.placeholders")}{" "}
        {REQUIRED_PLACEHOLDERS.map((p) => (
          <Code key={p} mr={4}>{`{${p}}`}</Code>
        ))}
        {t("manager.messages.optional")}{" "}
        {OPTIONAL_PLACEHOLDERS.map((p) => (
          <Code key={p} mr={4}>{`{${p}}`}</Code>
        ))}
      </Text>
      <Text size="sm" c="dimmed">
        {t("manager.messages.placeholderHelp")}
      </Text>
      <div className="manager-split">
        {TEMPLATE_LANGUAGES.map((lang) => (
          <TemplateEditor
            key={lang}
            lang={lang}
            value={templates[lang] ?? ""}
            onChange={(value) => {
              setTemplates({ ...templates, [lang]: value });
              setSaved(false);
              save.reset();
            }}
            plan={plan}
            clinicName={clinic.name}
            serverErrors={serverErrors[lang] ?? []}
          />
        ))}
      </div>
      {save.error != null && !namedOnField && <ErrorNote error={save.error} title={t("manager.messages.notSaved")} />}
      {(serverErrors[""] ?? []).length > 0 && (
        <Alert color="red" role="alert" title={t("manager.messages.notSaved")}>
          {(serverErrors[""] ?? []).join(" · ")}
        </Alert>
      )}
      {saved && (
        <Alert color="teal" role="status" data-testid="manager-plan-saved">
          {t("manager.messages.saved")}
        </Alert>
      )}
      <Group>
        <Button
          onClick={() => {
            save.mutate();
          }}
          loading={save.isPending}
          disabled={blocked}
        >
          {t("manager.messages.save")}
        </Button>
        <Text size="sm" c="dimmed">
          {t(typeCode === null ? "manager.messages.savesForClinic" : "manager.messages.savesForType")}
        </Text>
      </Group>
    </Stack>
  );
}

function ClinicMessages({ clinic }: { clinic: LocationView }) {
  const { t } = useTranslation();
  const types = useVisitTypes(clinic.id);
  const plans = usePlans();
  const [chosen, setChosen] = useState<string | null>(null);
  const known = new Map(types.data ?? []);
  for (const p of plans.data?.items ?? []) {
    if (p.type_code && (p.location_id ?? null) !== null && p.location_id === clinic.id && !known.has(p.type_code)) known.set(p.type_code, p.type_code);
  }
  const options = [
    { value: EVERY_TYPE, label: t("manager.messages.everyType") },
    ...[...known].sort((a, b) => a[1].localeCompare(b[1])).map(([code, display]) => ({ value: code, label: display })),
  ];
  const value = chosen ?? options[1]?.value ?? EVERY_TYPE;
  const typeCode = value === EVERY_TYPE ? null : value;
  const effective = useEffectivePlan(clinic.id, typeCode);
  const plan = typeCode === null ? (plans.data ? pickPlan(plans.data.items, clinic.id, null) : undefined) : effective.data;
  const error = typeCode === null ? plans.error : effective.error;

  return (
    <Stack gap="md" data-testid="manager-messages" data-clinic={clinic.id}>
      <Title order={3}>{t("manager.messages.reminderTitle")}</Title>
      {types.isPending || plans.isPending ? (
        <Loader role="status" aria-label={t("common.loading")} />
      ) : (
        <Select
          label={t("manager.messages.visitType")}
          description={t("manager.messages.visitTypeHelp")}
          data={options}
          value={value}
          allowDeselect={false}
          onChange={(next) => {
            setChosen(next);
          }}
          w={360}
        />
      )}
      {types.error && <ErrorNote error={types.error} />}
      {error && <ErrorNote error={error} />}
      {!plan && !error && <Loader role="status" aria-label={t("common.loading")} />}
      {plan && <PlanEditor key={`${clinic.id}:${value}`} clinic={clinic} typeCode={typeCode} plan={plan} />}
    </Stack>
  );
}

export function ManagerMessagesPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <ManageScreen me={me} title={t("manager.messages.title")} intro={t("manager.messages.intro")}>
      {(clinic) => <ClinicMessages key={clinic.id} clinic={clinic} />}
    </ManageScreen>
  );
}
