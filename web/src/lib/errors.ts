// The words a person reads when something fails, from the API's stable error ids.
import { ApiError, NetworkError } from "../api/client";

export interface Explained {
  /** i18n key */
  key: string;
  /** interpolation values */
  values?: Record<string, string | number>;
}

/** Why signing in failed, in words: wrong code, locked, too many tries, ... */
export function signInError(error: unknown): Explained {
  if (error instanceof NetworkError) return { key: "errors.network" };
  if (!(error instanceof ApiError)) return { key: "errors.unexpected" };
  const minutes = error.retryAfterSeconds ? Math.max(1, Math.ceil(error.retryAfterSeconds / 60)) : 0;
  switch (error.errorId) {
    case "bad-credentials":
      return { key: "signIn.errors.badCredentials" };
    case "mfa-required":
      return { key: "signIn.errors.mfaRequired" };
    case "mfa-enrolment-required":
      return { key: "signIn.errors.mfaEnrolment" };
    case "account-locked":
      return minutes
        ? { key: "signIn.errors.lockedFor", values: { minutes } }
        : { key: "signIn.errors.locked" };
    case "too-many-requests":
      return minutes
        ? { key: "signIn.errors.throttledFor", values: { minutes } }
        : { key: "signIn.errors.throttled" };
    case "validation-failed":
      return { key: "signIn.errors.invalid" };
    default:
      return { key: "errors.unexpected" };
  }
}

/** Why the app sent someone back to sign in (a 401 on any call). */
export function signedOutReason(errorId: string | null): string | null {
  switch (errorId) {
    case null:
      return null;
    case "session-expired":
      return "signIn.reasons.expired";
    case "signed-out":
      return "signIn.reasons.signedOut";
    case "manual":
      return "signIn.reasons.manual";
    default:
      return "signIn.reasons.notSignedIn";
  }
}

/** A short message for a failed action or load anywhere else in the app. */
export function actionError(error: unknown): Explained {
  if (error instanceof NetworkError) return { key: "errors.network" };
  if (error instanceof ApiError) {
    if (error.status === 403) return { key: "errors.forbidden" };
    if (error.status === 404) return { key: "errors.notFound" };
    if (error.status === 409) return { key: "errors.conflict", values: { detail: error.detail } };
    if (error.status === 422) return { key: "errors.invalid", values: { detail: error.detail } };
  }
  return { key: "errors.unexpected" };
}
