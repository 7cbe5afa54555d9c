// Moving an appointment to another free slot, and booking a patient into a free slot:
// the two scheduling jobs the front desk does from Today without leaving the screen.
import { Alert, Button, Checkbox, Group, Loader, Modal, Stack, Table, Text } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../api/client";
import type { AppointmentView, LocationView, OfferView, Page, SlotView } from "../api/types";
import { PatientFinder } from "../pages/PatientsPage";
import { groupSlotsByDay, offerSummary, slotWindow } from "../lib/slots";
import { dayIn, formatDay, formatTime } from "../lib/time";
import { ErrorNote } from "./ErrorNote";
import { PatientName } from "./PatientName";

/** Free slots at a clinic (optionally one provider's) between two instants. */
export function useFreeSlots(params: { locationId: string; staffId?: string | null; from: string; to: string; enabled?: boolean }) {
  const { locationId, staffId = null, from, to, enabled = true } = params;
  return useQuery({
    queryKey: ["appointments", "free-slots", locationId, staffId ?? "any", from, to],
    queryFn: () =>
      api<Page<SlotView>>("GET", "/api/v1/slots", {
        query: { location_id: locationId, staff_id: staffId, from, to, limit: 200 },
      }),
    enabled,
  });
}

interface RescheduleProps {
  appointment: AppointmentView | null;
  clinic: LocationView;
  providerNames: Map<string, string>;
  onClose: () => void;
}

/** Pick another free slot in the next two weeks (same provider unless told otherwise). */
export function RescheduleDialog({ appointment, clinic, providerNames, onClose }: RescheduleProps) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [anyProvider, setAnyProvider] = useState(false);
  const [window] = useState(() => slotWindow(new Date(), 14));
  const slots = useFreeSlots({
    locationId: clinic.id,
    staffId: anyProvider ? null : appointment?.staff_id,
    from: window.from,
    to: window.to,
    enabled: appointment !== null,
  });
  const move = useMutation({
    mutationFn: (slot: SlotView) =>
      api<AppointmentView>("POST", `/api/v1/appointments/${encodeURIComponent(appointment?.id ?? "")}/reschedule`, {
        body: { slot_id: slot.id },
      }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["appointments"] });
      onClose();
    },
  });
  const days = groupSlotsByDay(slots.data?.items ?? [], clinic.timezone);

  return (
    <Modal
      opened={appointment !== null}
      onClose={onClose}
      title={t("schedule.rescheduleTitle")}
      size="lg"
      transitionProps={{ duration: 0 }}
      // Scroll locking injects a <style> element, which the CSP refuses.
      lockScroll={false}
      closeButtonProps={{ "aria-label": t("common.close") }}
    >
      {appointment && (
        <Stack gap="sm" data-testid="reschedule-dialog">
          <Text size="sm">
            <PatientName id={appointment.patient_id} /> ·{" "}
            {formatDay(dayIn(clinic.timezone, new Date(appointment.start)), i18n.language)}{" "}
            {formatTime(appointment.start, clinic.timezone, i18n.language)} ·{" "}
            {providerNames.get(appointment.staff_id) ?? t("today.unknownProvider")}
          </Text>
          <Checkbox
            label={t("schedule.anyProvider")}
            checked={anyProvider}
            onChange={(e) => { setAnyProvider(e.currentTarget.checked); }}
          />
          {slots.isPending && <Loader role="status" aria-label={t("common.loading")} />}
          {slots.error && <ErrorNote error={slots.error} />}
          {move.error && <ErrorNote error={move.error} title={t("schedule.moveFailed")} />}
          {slots.data?.items.length === 0 && (
            <Alert color="gray" data-testid="no-free-slots">
              {t("schedule.noFreeSlots")}
            </Alert>
          )}
          {days.map(([day, daySlots]) => (
            <Stack key={day} gap={4}>
              <Text fw={600} size="sm">
                {formatDay(day, i18n.language)}
              </Text>
              <Group gap="xs">
                {daySlots.map((slot) => (
                  <Button
                    key={slot.id}
                    size="compact-sm"
                    variant="default"
                    data-testid="free-slot"
                    loading={move.isPending && move.variables.id === slot.id}
                    onClick={() => { move.mutate(slot); }}
                    aria-label={t("schedule.moveTo", {
                      time: formatTime(slot.start, clinic.timezone, i18n.language),
                      day: formatDay(day, i18n.language),
                      provider: providerNames.get(slot.staff_id) ?? t("today.unknownProvider"),
                    })}
                  >
                    {formatTime(slot.start, clinic.timezone, i18n.language)}
                    {anyProvider && ` · ${providerNames.get(slot.staff_id) ?? ""}`}
                  </Button>
                ))}
              </Group>
            </Stack>
          ))}
        </Stack>
      )}
    </Modal>
  );
}

interface OpenSlotsProps {
  clinic: LocationView;
  /** The clinic's today (YYYY-MM-DD in its time zone). */
  day: string;
  providerNames: Map<string, string>;
}

/** Today's free slots at the clinic, each bookable for a patient found by search. */
export function OpenSlots({ clinic, day, providerNames }: OpenSlotsProps) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [window] = useState(() => slotWindow(new Date(), 1));
  const slots = useFreeSlots({ locationId: clinic.id, from: window.from, to: window.to });
  const [booking, setBooking] = useState<SlotView | null>(null);
  const book = useMutation({
    mutationFn: ({ slot, patientId }: { slot: SlotView; patientId: string }) =>
      api<AppointmentView>("POST", "/api/v1/appointments", {
        body: { patient_id: patientId, slot_id: slot.id },
      }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["appointments"] });
      setBooking(null);
    },
  });
  // Still to come today, at the clinic's own date.
  const upcoming = (groupSlotsByDay(slots.data?.items ?? [], clinic.timezone).find(([d]) => d === day)?.[1] ?? []).filter(
    (s) => new Date(s.end).getTime() > Date.now(),
  );

  return (
    <section aria-labelledby="open-slots-title">
      <Stack gap="sm">
        <Text fw={700} size="lg" id="open-slots-title" component="h3">
          {t("schedule.openSlots")}
          {slots.data && ` (${upcoming.length})`}
        </Text>
        {slots.isPending && <Loader role="status" aria-label={t("common.loading")} />}
        {slots.error && <ErrorNote error={slots.error} />}
        {slots.data && upcoming.length === 0 && (
          <Text c="dimmed" data-testid="no-open-slots">
            {t("schedule.noOpenSlots")}
          </Text>
        )}
        {upcoming.length > 0 && (
          <Table withTableBorder aria-label={t("schedule.openSlots")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("today.time")}</Table.Th>
                <Table.Th>{t("today.unknownProvider")}</Table.Th>
                <Table.Th>{t("today.type")}</Table.Th>
                <Table.Th>{t("today.actions")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {upcoming.map((slot) => (
                <Table.Tr key={slot.id} data-testid="open-slot">
                  <Table.Td>{formatTime(slot.start, clinic.timezone, i18n.language)}</Table.Td>
                  <Table.Td>{providerNames.get(slot.staff_id) ?? t("today.unknownProvider")}</Table.Td>
                  <Table.Td>{slot.appointment_type?.display ?? t("schedule.anyVisit")}</Table.Td>
                  <Table.Td>
                    <Button size="compact-sm" variant="light" onClick={() => { setBooking(slot); book.reset(); }}>
                      {t("schedule.book")}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
      <Modal
        opened={booking !== null}
        onClose={() => { setBooking(null); }}
        title={t("schedule.bookTitle")}
        size="xl"
        transitionProps={{ duration: 0 }}
        lockScroll={false}
        closeButtonProps={{ "aria-label": t("common.close") }}
      >
        {booking && (
          <Stack gap="sm" data-testid="book-dialog">
            <Text size="sm">
              {formatTime(booking.start, clinic.timezone, i18n.language)} ·{" "}
              {providerNames.get(booking.staff_id) ?? t("today.unknownProvider")}
            </Text>
            {book.error && <ErrorNote error={book.error} title={t("schedule.bookFailed")} />}
            <PatientFinder
              pickLabel={t("schedule.bookThis")}
              busyId={book.isPending ? book.variables.patientId : null}
              onPick={(match) => { book.mutate({ slot: booking, patientId: match.patient.id }); }}
            />
          </Stack>
        )}
      </Modal>
    </section>
  );
}

/** Under a cancelled visit: who its freed slot was offered to, and who took it. */
export function SlotOffers({ slotId }: { slotId: string }) {
  const { t } = useTranslation();
  const offers = useQuery({
    // Under "appointments": a waitlist booking is an appointment event, so this refetches.
    queryKey: ["appointments", "slot-offers", slotId],
    queryFn: () => api<OfferView[]>("GET", `/api/v1/waitlist/slots/${encodeURIComponent(slotId)}/offers`),
  });
  if (!offers.data) return null;
  const summary = offerSummary(offers.data);
  return (
    <Text size="xs" c="dimmed" data-testid="slot-offers">
      {summary.offered === 0
        ? t("schedule.offers.none")
        : t("schedule.offers.offered", { count: summary.offered, waiting: summary.waiting })}
      {summary.takenBy && (
        <>
          {" · "}
          {t("schedule.offers.takenBy")} <PatientName id={summary.takenBy} />
        </>
      )}
    </Text>
  );
}
