// Server state: one query key per API resource, shared by every screen.
import { useQuery } from "@tanstack/react-query";
import { api } from "./client";
import type {
  AppointmentView,
  Conversation,
  InteractionView,
  LocationView,
  Me,
  Page,
  PatientView,
  SessionView,
  StaffView,
  TaskView,
} from "./types";

export const keys = {
  me: ["me"] as const,
  locations: ["locations"] as const,
  staff: (locationId: string) => ["staff", locationId] as const,
  day: (locationId: string, day: string) => ["appointments", locationId, day] as const,
  tasks: (locationId: string) => ["tasks", locationId] as const,
  patient: (id: string) => ["patient", id] as const,
  timeline: (id: string) => ["timeline", id] as const,
  sessions: ["sessions"] as const,
  conversations: (view: string, locationId: string) => ["conversations", view, locationId] as const,
  smsThread: (id: string) => ["timeline", id, "sms"] as const,
};

export function fetchMe(): Promise<Me> {
  // signIn: a 401 here means "not signed in yet", not "thrown out mid-work".
  return api<Me>("GET", "/api/v1/auth/me", { signIn: true });
}

export function useLocations() {
  return useQuery({
    queryKey: keys.locations,
    queryFn: () => api<Page<LocationView>>("GET", "/api/v1/locations", { query: { limit: 200 } }),
    staleTime: 5 * 60_000,
  });
}

export function useStaff(locationId: string | null) {
  return useQuery({
    queryKey: keys.staff(locationId ?? ""),
    queryFn: () =>
      api<Page<StaffView>>("GET", "/api/v1/staff", {
        query: { location_id: locationId, limit: 200 },
      }),
    enabled: !!locationId,
    staleTime: 5 * 60_000,
  });
}

export function useDay(locationId: string | null, day: string | null) {
  return useQuery({
    queryKey: keys.day(locationId ?? "", day ?? ""),
    queryFn: () =>
      api<Page<AppointmentView>>("GET", "/api/v1/appointments", {
        query: { location_id: locationId, day, limit: 200 },
      }),
    enabled: !!locationId && !!day,
    refetchInterval: 60_000,
  });
}

export function useTasks(locationId: string | null) {
  return useQuery({
    queryKey: keys.tasks(locationId ?? ""),
    queryFn: () =>
      api<Page<TaskView>>("GET", "/api/v1/tasks", {
        query: { location_id: locationId, status: "open", limit: 200 },
      }),
    enabled: !!locationId,
    refetchInterval: 60_000,
  });
}

export function patientQuery(id: string) {
  return {
    queryKey: keys.patient(id),
    queryFn: () => api<PatientView>("GET", `/api/v1/patients/${encodeURIComponent(id)}`),
    staleTime: 5 * 60_000,
  };
}

export function usePatient(id: string) {
  return useQuery(patientQuery(id));
}

export function useTimeline(id: string) {
  return useQuery({
    queryKey: keys.timeline(id),
    queryFn: () =>
      api<Page<InteractionView>>("GET", `/api/v1/patients/${encodeURIComponent(id)}/timeline`, {
        query: { limit: 100 },
      }),
  });
}

export function useSessions() {
  return useQuery({
    queryKey: keys.sessions,
    queryFn: () => api<SessionView[]>("GET", "/api/v1/auth/sessions"),
  });
}

export type InboxView = "needs_reply" | "unread" | "mine" | "unassigned" | "all";

/** The inbox's views, in the order of its tabs. */
export const INBOX_VIEWS: readonly InboxView[] = ["needs_reply", "unread", "mine", "unassigned", "all"];

export function useConversations(view: InboxView, locationId: string | null) {
  return useQuery({
    queryKey: keys.conversations(view, locationId ?? ""),
    queryFn: () =>
      api<Page<Conversation>>("GET", "/api/v1/conversations", {
        query: { view, location_id: locationId, limit: 200 },
      }),
    enabled: !!locationId,
    refetchInterval: 30_000,
  });
}

/** A patient's texts (the timeline's SMS interactions). Shares the timeline's key prefix. */
export function useSmsThread(id: string | null) {
  return useQuery({
    queryKey: keys.smsThread(id ?? ""),
    queryFn: () =>
      api<Page<InteractionView>>("GET", `/api/v1/patients/${encodeURIComponent(id ?? "")}/timeline`, {
        query: { channel: "sms", limit: 200 },
      }),
    enabled: !!id,
    refetchInterval: 30_000,
  });
}
