// The one way the app talks to careline: same-origin fetch with the session cookie.
// Errors are the API's problem+json bodies, kept whole in ApiError.
import type { FieldError, Problem } from "./types";

export class ApiError extends Error {
  readonly status: number;
  readonly errorId: string;
  readonly detail: string;
  readonly retryAfterSeconds: number | null;
  /** A 422's offending fields (dotted paths such as body.body), when the API names them. */
  readonly fieldErrors: FieldError[];
  /** The whole problem body: some errors carry more (sign-in's `enrolment_open`). */
  readonly body: Record<string, unknown>;

  constructor(status: number, problem: Partial<Problem>, retryAfterSeconds: number | null) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.errorId = problem.error_id ?? "unknown";
    this.detail = problem.detail ?? "";
    this.retryAfterSeconds = retryAfterSeconds;
    this.fieldErrors = problem.errors ?? [];
    this.body = { ...problem };
  }
}

/** Raised when the network itself failed (server down, offline). */
export class NetworkError extends Error {
  constructor() {
    super("network");
    this.name = "NetworkError";
  }
}

type Listener = (error: ApiError) => void;
const signedOutListeners = new Set<Listener>();

/** Called when any call (but signing in) answers 401: the session ended or idled out. */
export function onSignedOut(listener: Listener): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

export type Query = Record<string, string | number | boolean | null | undefined>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined) params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function api<T>(
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  path: string,
  options: { body?: unknown; query?: Query; signIn?: boolean; headers?: Record<string, string> } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  const init: RequestInit = { method, headers, credentials: "same-origin", cache: "no-store" };
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), init);
  } catch {
    throw new NetworkError();
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const data: unknown = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const retry = response.headers.get("Retry-After");
    const problem: Partial<Problem> = typeof data === "object" && data !== null ? data : {};
    const error = new ApiError(response.status, problem, retry ? Number(retry) : null);
    if (response.status === 401 && !options.signIn) {
      for (const listener of signedOutListeners) listener(error);
    }
    throw error;
  }
  return data as T;
}
