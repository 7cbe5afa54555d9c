import { describe, expect, it } from "vitest";
import { ApiError, NetworkError } from "../api/client";
import { signedOutReason, signInError } from "./errors";

describe("sign-in errors", () => {
  const problem = (errorId: string) => ({ error_id: errorId, detail: "x" });

  it("explains each refusal from its error id", () => {
    expect(signInError(new ApiError(401, problem("bad-credentials"), null)).key).toBe(
      "signIn.errors.badCredentials",
    );
    expect(signInError(new ApiError(401, problem("mfa-required"), null)).key).toBe(
      "signIn.errors.mfaRequired",
    );
    expect(signInError(new ApiError(423, problem("account-locked"), 301))).toEqual({
      key: "signIn.errors.lockedFor",
      values: { minutes: 6 },
    });
    expect(signInError(new ApiError(429, problem("too-many-requests"), null)).key).toBe(
      "signIn.errors.throttled",
    );
    expect(signInError(new NetworkError()).key).toBe("errors.network");
    expect(signInError(new ApiError(500, {}, null)).key).toBe("errors.unexpected");
  });

  it("says why a session ended", () => {
    expect(signedOutReason("session-expired")).toBe("signIn.reasons.expired");
    expect(signedOutReason("signed-out")).toBe("signIn.reasons.signedOut");
    expect(signedOutReason(null)).toBeNull();
  });
});
