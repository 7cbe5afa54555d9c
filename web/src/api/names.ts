import { api } from "./client";
import type { PatientSummary } from "./types";

/** The most ids one request may ask for (the API's limit). */
const MAX_IDS = 200;

type Waiter = { resolve: (summary: PatientSummary | null) => void; reject: (e: unknown) => void };

let waiting = new Map<string, Waiter[]>();
let scheduled = false;

async function flush(): Promise<void> {
  const batch = waiting;
  waiting = new Map();
  scheduled = false;
  const ids = [...batch.keys()];
  for (let start = 0; start < ids.length; start += MAX_IDS) {
    const chunk = ids.slice(start, start + MAX_IDS);
    try {
      const found = await api<PatientSummary[]>("POST", "/api/v1/patients/summaries", {
        body: { ids: chunk },
      });
      const byId = new Map(found.map((s) => [s.id, s]));
      for (const id of chunk) for (const w of batch.get(id) ?? []) w.resolve(byId.get(id) ?? null);
    } catch (error) {
      for (const id of chunk) for (const w of batch.get(id) ?? []) w.reject(error);
    }
  }
}

/**
 * A patient's name for a list, asked together with every other name the screen asks
 * for in the same moment: one request for a whole day's appointments instead of one
 * per row. Resolves null for a patient outside the reader's clinics.
 */
export function loadPatientSummary(id: string): Promise<PatientSummary | null> {
  return new Promise((resolve, reject) => {
    const list = waiting.get(id) ?? [];
    list.push({ resolve, reject });
    waiting.set(id, list);
    if (!scheduled) {
      scheduled = true;
      setTimeout(() => void flush(), 0);
    }
  });
}
