// The Worklist's server state. Every key starts with "tasks", so a live "task" event
// (api/live.ts) refreshes the list and the open detail alike.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client";
import type { components } from "../api/schema";
import type { TaskView } from "../api/types";

export type TaskDetail = components["schemas"]["TaskDetail"];
export type TaskAppointment = components["schemas"]["TaskAppointment"];

export const taskKeys = {
  all: ["tasks"] as const,
  detail: (id: string) => ["tasks", "detail", id] as const,
};

export function useTaskDetail(id: string | null) {
  return useQuery({
    queryKey: taskKeys.detail(id ?? ""),
    queryFn: () => api<TaskDetail>("GET", `/api/v1/tasks/${encodeURIComponent(id ?? "")}`),
    enabled: !!id,
  });
}

export type TaskAction = { id: string; action: "claim" | "release" } | { id: string; action: "done"; note: string };

/** Claim, release or resolve; the whole "tasks" prefix is refreshed after. */
export function useTaskAction(onDone?: (task: TaskView, action: TaskAction) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (a: TaskAction) =>
      api<TaskView>("POST", `/api/v1/tasks/${encodeURIComponent(a.id)}/${a.action}`, {
        body: a.action === "done" ? { note: a.note.trim() || null } : undefined,
      }),
    onSuccess: (task, action) => {
      if (action.action === "done" && task.patient_id) {
        void client.invalidateQueries({ queryKey: ["timeline", task.patient_id] });
      }
      onDone?.(task, action);
    },
    onSettled: () => client.invalidateQueries({ queryKey: taskKeys.all }),
  });
}

export type CallbackRinging = components["schemas"]["CallbackRinging"];

/** Call back through the clinic's number: the user's own phone rings first. */
export function useCallBack() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (taskId: string) =>
      api<CallbackRinging>("POST", `/api/v1/tasks/${encodeURIComponent(taskId)}/call-back`),
    onSettled: () => client.invalidateQueries({ queryKey: taskKeys.all }),
  });
}
