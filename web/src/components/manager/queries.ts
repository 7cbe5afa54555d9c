// The manager's console's server state. Keys start with "locations" (so every edit of a
// clinic refreshes the lists other screens show) or "reminder-plans".
import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import type { LocationView, Page, SlotView } from "../../api/types";
import type { LocationDays, OpenStatus, ReminderPlanView } from "../../lib/manager";

export const managerKeys = {
  location: (id: string) => ["locations", id] as const,
  openStatus: (id: string) => ["locations", id, "open-status"] as const,
  days: (id: string) => ["locations", id, "days"] as const,
  plans: ["reminder-plans"] as const,
  effective: (id: string, type: string) => ["reminder-plans", "effective", id, type] as const,
  types: (id: string) => ["slots", id, "types"] as const,
};

const path = (id: string) => `/api/v1/locations/${encodeURIComponent(id)}`;

export function useLocation(id: string) {
  return useQuery({ queryKey: managerKeys.location(id), queryFn: () => api<LocationView>("GET", path(id)) });
}

export function useOpenStatus(id: string) {
  return useQuery({
    queryKey: managerKeys.openStatus(id),
    queryFn: () => api<OpenStatus>("GET", `${path(id)}/open-status`),
    refetchInterval: 60_000,
  });
}

export function useDays(id: string) {
  return useQuery({
    queryKey: managerKeys.days(id),
    queryFn: () => api<LocationDays>("GET", `${path(id)}/days`, { query: { days: 14 } }),
  });
}

export function usePlans() {
  return useQuery({
    queryKey: managerKeys.plans,
    queryFn: () => api<Page<ReminderPlanView>>("GET", "/api/v1/reminder-plans", { query: { limit: 200 } }),
  });
}

export function useEffectivePlan(locationId: string, typeCode: string | null) {
  return useQuery({
    queryKey: managerKeys.effective(locationId, typeCode ?? ""),
    queryFn: () =>
      api<ReminderPlanView>("GET", "/api/v1/reminder-plans/effective", {
        query: { location_id: locationId, type_code: typeCode },
      }),
    enabled: typeCode !== null,
  });
}

/** The visit types a clinic offers, from its free slots (code → display name). */
export function useVisitTypes(locationId: string) {
  return useQuery({
    queryKey: managerKeys.types(locationId),
    queryFn: async () => {
      const page = await api<Page<SlotView>>("GET", "/api/v1/slots", { query: { location_id: locationId, limit: 200 } });
      const types = new Map<string, string>();
      for (const s of page.items) if (s.appointment_type) types.set(s.appointment_type.code, s.appointment_type.display);
      return types;
    },
    staleTime: 5 * 60_000,
  });
}
