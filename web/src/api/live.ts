// Live updates: one Server-Sent Events stream per signed-in tab (/api/v1/events).
// An event only says what changed, by id; we refetch the affected lists through the
// API (which applies the usual permissions), so a missed event costs freshness only.
import type { QueryClient, QueryKey } from "@tanstack/react-query";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api } from "./client";

export type LiveKind = "task" | "queue" | "desk" | "presence" | "conversation" | "appointment" | "resync";

/** Which cached lists each kind of event makes stale (matched by key prefix). */
export const STALE_ON: Record<Exclude<LiveKind, "resync">, readonly QueryKey[]> = {
  task: [["tasks"]],
  queue: [["queue"], ["wall"], ["desk"]],
  presence: [["queue"], ["wall"]],
  desk: [["desk"]],
  conversation: [["conversations"], ["timeline"]],
  appointment: [["appointments"]],
};

export const LIVE_KINDS = [...Object.keys(STALE_ON), "resync"] as LiveKind[];

/** Refetch what an event makes stale; "resync" (we may have missed some): everything. */
export function applyLiveEvent(client: QueryClient, kind: LiveKind): void {
  if (kind === "resync") {
    void client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== "me" });
    return;
  }
  for (const queryKey of STALE_ON[kind]) void client.invalidateQueries({ queryKey });
}

export type LiveState = "connecting" | "live" | "offline";

/** Keep this tab's stream open while signed in; reports whether updates are live. */
export function useLiveUpdates(enabled: boolean): LiveState {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>("connecting");
  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") return;
    const source = new EventSource("/api/v1/events");
    let everOpen = false;
    source.onopen = () => {
      // After a drop we may have missed events: refetch once on reconnecting.
      if (everOpen) applyLiveEvent(client, "resync");
      everOpen = true;
      setState("live");
    };
    source.onerror = () => {
      // EventSource retries by itself (the server asks for 3 s); say we are behind.
      setState(source.readyState === EventSource.CLOSED ? "offline" : "connecting");
    };
    for (const kind of LIVE_KINDS) {
      source.addEventListener(kind, () => {
        applyLiveEvent(client, kind);
      });
    }
    source.addEventListener("signed-out", () => {
      source.close();
      setState("offline");
      // Any API call now answers 401, which runs the app's signed-out path.
      void api("GET", "/api/v1/auth/me").catch(() => undefined);
    });
    return () => {
      source.close();
    };
  }, [client, enabled]);
  return state;
}
