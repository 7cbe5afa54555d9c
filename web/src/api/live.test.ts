import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { applyLiveEvent } from "./live";

/** A cache holding fresh data (never stale by age) under a few typical keys. */
function cached() {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity } } });
  for (const key of [["me"], ["tasks", "loc-1"], ["wall", "all"], ["desk", "me"], ["timeline", "p-1"], ["patient", "p-1"]]) {
    client.setQueryData(key, { ok: true });
  }
  return client;
}

function stale(client: QueryClient): string[] {
  return client
    .getQueryCache()
    .getAll()
    .filter((q) => q.isStale())
    .map((q) => String(q.queryKey[0]))
    .sort();
}

describe("applyLiveEvent", () => {
  it("marks only the lists an event concerns as stale", () => {
    const client = cached();
    applyLiveEvent(client, "task");
    expect(stale(client)).toEqual(["tasks"]);
    applyLiveEvent(client, "queue");
    expect(stale(client)).toEqual(["desk", "tasks", "wall"]);
  });

  it("refetches everything but the signed-in user on a resync", () => {
    const client = cached();
    applyLiveEvent(client, "resync");
    expect(stale(client)).toEqual(["desk", "patient", "tasks", "timeline", "wall"]);
  });
});
