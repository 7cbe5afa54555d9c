import { afterEach, describe, expect, it, vi } from "vitest";
import { loadPatientSummary } from "./names";

function summary(id: string) {
  return { id, given_name: "Ada", family_name: `F-${id}`, date_of_birth: "1980-01-01", home_location_id: null };
}

function askedIds(init: RequestInit | undefined): string[] {
  const body = typeof init?.body === "string" ? init.body : "{}";
  return (JSON.parse(body) as { ids?: string[] }).ids ?? [];
}

describe("loadPatientSummary", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("asks for every name of the same moment in one request, and null for the unseen", async () => {
    const calls: string[][] = [];
    vi.stubGlobal("fetch", (_url: string, init?: RequestInit) => {
      const asked = askedIds(init);
      calls.push(asked);
      const visible = asked.filter((id) => id !== "hidden").map(summary);
      return Promise.resolve(new Response(JSON.stringify(visible), { status: 200 }));
    });
    const [a, b, hidden, again] = await Promise.all([
      loadPatientSummary("a"),
      loadPatientSummary("b"),
      loadPatientSummary("hidden"),
      loadPatientSummary("a"),
    ]);
    expect(calls).toEqual([["a", "b", "hidden"]]);
    expect(a?.family_name).toBe("F-a");
    expect(again?.family_name).toBe("F-a");
    expect(b?.family_name).toBe("F-b");
    expect(hidden).toBeNull();
  });

  it("fails every waiter of a batch when the request fails", async () => {
    vi.stubGlobal("fetch", () => Promise.resolve(new Response("{}", { status: 500 })));
    await expect(loadPatientSummary("x")).rejects.toBeTruthy();
  });
});
