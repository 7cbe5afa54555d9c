import { Alert, Badge, Button, Checkbox, Group, Loader, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Me } from "../api/types";
import { exportCsv, listUsers, reviewEntry, searchAudit, verifyChain } from "../components/AuditQueries";
import { ErrorNote } from "../components/ErrorNote";
import "../components/audit.css";
import {
  type AuditEntry,
  type AuditForm,
  type AuditResult,
  type AuditSearchBody,
  EMPTY_FORM,
  PAGE_SIZE,
  canAudit,
  formProblem,
  resourceLabel,
  searchBody,
  withReview,
} from "../lib/audit";
import { formatDateTime } from "../lib/time";

const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The auditor's console: who read or changed what, for a patient, a user, a time. */
export function AuditPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  if (!canAudit(me)) {
    return (
      <Stack gap="lg">
        <Title order={2}>{t("audit.title")}</Title>
        <Alert color="gray">{t("audit.notAllowed")}</Alert>
      </Stack>
    );
  }
  return (
    <Stack gap="lg">
      <Title order={2}>{t("audit.title")}</Title>
      <AuditSearch />
      <ChainCheck />
    </Stack>
  );
}

function AuditSearch() {
  const { t } = useTranslation();
  const [form, setForm] = useState<AuditForm>(EMPTY_FORM);
  // The body of the search on screen (kept for paging and the export, never in the URL).
  const [asked, setAsked] = useState<AuditSearchBody | null>(null);
  const [result, setResult] = useState<AuditResult | null>(null);
  const users = useQuery({ queryKey: ["users", "all"], queryFn: listUsers, staleTime: 5 * 60_000 });
  // A mutation, not a query: each search is an audited read, so it runs only when asked.
  const search = useMutation({
    mutationFn: searchAudit,
    onSuccess: (data, body) => {
      setResult(data);
      setAsked(body);
    },
  });
  const review = useMutation({
    mutationFn: reviewEntry,
    onSuccess: (mark) => {
      setResult((current) => (current ? withReview(current, mark) : current));
    },
  });
  const download = useMutation({ mutationFn: exportCsv });
  const problem = formProblem(form);
  const set = (patch: Partial<AuditForm>) => { setForm((f) => ({ ...f, ...patch })); };

  return (
    <Stack gap="md">
      <form
        aria-label={t("audit.searchForm")}
        onSubmit={(event) => {
          event.preventDefault();
          if (problem) return;
          search.mutate(searchBody(form));
        }}
      >
        <Stack gap="sm">
          <div className="audit-form">
            <TextInput
              label={t("audit.familyName")}
              name="family_name"
              autoComplete="off"
              value={form.familyName}
              onChange={(e) => { set({ familyName: e.currentTarget.value }); }}
            />
            <TextInput
              label={t("audit.dateOfBirth")}
              type="date"
              name="date_of_birth"
              value={form.dateOfBirth}
              onChange={(e) => { set({ dateOfBirth: e.currentTarget.value }); }}
            />
            <Select
              label={t("audit.user")}
              placeholder={t("audit.anyUser")}
              clearable
              searchable
              value={form.userId || null}
              onChange={(value) => { set({ userId: value ?? "" }); }}
              data={(users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.display_name} (${u.username})` }))}
            />
            <TextInput
              label={t("audit.from")}
              type="date"
              name="from"
              value={form.fromDay}
              onChange={(e) => { set({ fromDay: e.currentTarget.value }); }}
            />
            <TextInput
              label={t("audit.to")}
              type="date"
              name="to"
              value={form.toDay}
              onChange={(e) => { set({ toDay: e.currentTarget.value }); }}
            />
          </div>
          <Checkbox
            label={t("audit.flaggedOnly")}
            checked={form.flaggedOnly}
            onChange={(e) => { set({ flaggedOnly: e.currentTarget.checked }); }}
          />
          <Text size="xs" c="dimmed">
            {t("audit.help", { zone: BROWSER_ZONE })}
          </Text>
          {problem && (
            <Text size="sm" c="red.9" role="status">
              {t(problem)}
            </Text>
          )}
          <Group>
            <Button type="submit" disabled={problem !== null} loading={search.isPending}>
              {t("audit.search")}
            </Button>
            <Button
              variant="default"
              disabled={asked === null || (result?.total ?? 0) === 0}
              loading={download.isPending}
              onClick={() => { if (asked) download.mutate({ ...asked, offset: 0 }); }}
            >
              {t("audit.exportCsv")}
            </Button>
          </Group>
        </Stack>
      </form>
      {users.error && <ErrorNote error={users.error} title={t("audit.usersFailed")} />}
      {search.error && <ErrorNote error={search.error} title={t("audit.searchFailed")} />}
      {download.error && <ErrorNote error={download.error} title={t("audit.exportFailed")} />}
      {review.error && <ErrorNote error={review.error} title={t("audit.reviewFailed")} />}
      {result && asked && (
        <Results
          result={result}
          reviewing={review.isPending ? review.variables : null}
          onReview={(seq) => { review.mutate(seq); }}
          onPage={(offset) => { search.mutate({ ...asked, offset }); }}
          paging={search.isPending}
        />
      )}
    </Stack>
  );
}

interface ResultsProps {
  result: AuditResult;
  reviewing: number | null;
  onReview: (seq: number) => void;
  onPage: (offset: number) => void;
  paging: boolean;
}

function Results({ result, reviewing, onReview, onPage, paging }: ResultsProps) {
  const { t } = useTranslation();
  const matched = result.matched_patient_ids;
  if (result.items.length === 0) {
    return (
      <Alert color="gray" data-testid="audit-empty">
        {matched?.length === 0 ? t("audit.noPatient") : t("audit.noEntries")}
      </Alert>
    );
  }
  const last = result.offset + result.items.length;
  return (
    <Stack gap="sm">
      <Text size="sm" role="status" data-testid="audit-count">
        {matched ? t("audit.patientsMatched", { count: matched.length }) + " " : ""}
        {t("audit.showing", { from: result.offset + 1, to: last, total: result.total })}
      </Text>
      <div className="audit-scroll">
        <Table striped withTableBorder aria-label={t("audit.results")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("audit.when")}</Table.Th>
              <Table.Th>{t("audit.who")}</Table.Th>
              <Table.Th>{t("audit.action")}</Table.Th>
              <Table.Th>{t("audit.resource")}</Table.Th>
              <Table.Th>{t("audit.patient")}</Table.Th>
              <Table.Th>{t("audit.fromWhere")}</Table.Th>
              <Table.Th>{t("audit.review")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.items.map((entry) => (
              <Row
                key={entry.seq}
                entry={entry}
                busy={reviewing === entry.seq}
                disabled={reviewing !== null && reviewing !== entry.seq}
                onReview={onReview}
              />
            ))}
          </Table.Tbody>
        </Table>
      </div>
      <Group>
        <Button
          variant="default"
          size="xs"
          disabled={result.offset === 0 || paging}
          onClick={() => { onPage(Math.max(0, result.offset - PAGE_SIZE)); }}
        >
          {t("audit.previous")}
        </Button>
        <Button
          variant="default"
          size="xs"
          disabled={last >= result.total || paging}
          onClick={() => { onPage(result.offset + PAGE_SIZE); }}
        >
          {t("audit.next")}
        </Button>
      </Group>
    </Stack>
  );
}

interface RowProps {
  entry: AuditEntry;
  busy: boolean;
  disabled: boolean;
  onReview: (seq: number) => void;
}

function Row({ entry, busy, disabled, onReview }: RowProps) {
  const { t, i18n } = useTranslation();
  return (
    <Table.Tr
      data-testid="audit-entry"
      data-seq={entry.seq}
      data-action={entry.action}
      className={entry.break_glass ? "audit-row-break-glass" : undefined}
    >
      <Table.Td>
        <Text size="sm">{formatDateTime(entry.at, BROWSER_ZONE, i18n.language)}</Text>
        <Text size="xs" c="dimmed">
          #{entry.seq}
        </Text>
      </Table.Td>
      <Table.Td data-testid="audit-who">{entry.actor_name}</Table.Td>
      <Table.Td>
        <Stack gap={4} align="flex-start">
          <span className="audit-code audit-nowrap">{entry.action}</span>
          {entry.outcome !== "ok" && (
            <Badge color="orange" variant="light">
              {entry.outcome}
            </Badge>
          )}
          {entry.break_glass && (
            <Badge color="red" variant="filled" data-testid="audit-break-glass">
              {t("audit.breakGlass")}
              <span className="visually-hidden">: {t("audit.breakGlassLabel")}</span>
            </Badge>
          )}
          {entry.flagged && !entry.break_glass && (
            <Badge color="orange" variant="light">
              {t("audit.flagged")}
              <span className="visually-hidden">: {t("audit.flaggedLabel")}</span>
            </Badge>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        <span className="audit-code">{resourceLabel(entry)}</span>
      </Table.Td>
      <Table.Td>
        <span className="audit-code">{entry.patient_id ?? ""}</span>
      </Table.Td>
      <Table.Td>
        {entry.ip ? (
          <span className="audit-code audit-nowrap">{entry.ip}</span>
        ) : (
          <Text size="xs" c="dimmed">
            {t("audit.unknownPlace")}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {entry.review ? (
          <Text size="sm" data-testid="audit-reviewed">
            {t("audit.reviewedBy", {
              name: entry.review.reviewed_by_name,
              when: formatDateTime(entry.review.reviewed_at, BROWSER_ZONE, i18n.language),
            })}
          </Text>
        ) : (
          <Button
            size="compact-sm"
            variant="light"
            loading={busy}
            disabled={disabled}
            aria-label={t("audit.markReviewedLabel", { seq: entry.seq })}
            onClick={() => { onReview(entry.seq); }}
          >
            {t("audit.markReviewed")}
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function ChainCheck() {
  const { t } = useTranslation();
  const verify = useMutation({ mutationFn: verifyChain });
  const report = verify.data;
  return (
    <Stack gap="sm" component="section" aria-labelledby="audit-chain-title">
      <Title order={3} id="audit-chain-title" size="h4">
        {t("audit.chainTitle")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("audit.chainHelp")}
      </Text>
      <Group>
        <Button variant="default" onClick={() => { verify.mutate(); }} loading={verify.isPending}>
          {t("audit.verify")}
        </Button>
        {verify.isPending && <Loader role="status" size="xs" aria-label={t("common.loading")} />}
      </Group>
      {verify.error && <ErrorNote error={verify.error} title={t("audit.verifyFailed")} />}
      {report?.ok === true && (
        <Alert color="teal" role="status" data-testid="audit-chain-ok" title={t("audit.chainOk")}>
          {t("audit.chainOkDetail", { count: report.checked })}
        </Alert>
      )}
      {report?.ok === false && (
        <Alert color="red" role="alert" data-testid="audit-chain-broken" title={t("audit.chainBroken")}>
          <Text size="sm">
            {t("audit.firstBad", { seq: report.first_bad_seq ?? "?", count: report.checked })}
          </Text>
          {report.problem && <Text size="sm">{report.problem}</Text>}
        </Alert>
      )}
    </Stack>
  );
}
