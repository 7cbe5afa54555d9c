import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import "../i18n";
import { SignInPage } from "./SignInPage";

function renderSignIn(reason: string | null = null) {
  const onSignedIn = vi.fn();
  render(
    <MantineProvider withCssVariables={false} withGlobalClasses={false}>
      <QueryClientProvider client={new QueryClient()}>
        <SignInPage reason={reason} onSignedIn={onSignedIn} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return onSignedIn;
}

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  vi.stubGlobal(
    "fetch",
    vi.fn(() =>
      Promise.resolve(
        new Response(JSON.stringify(body), {
          status,
          headers: { "Content-Type": "application/problem+json", ...headers },
        }),
      ),
    ),
  );
}

async function submit() {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText(/Username/), "frontdesk");
  await user.type(screen.getByLabelText(/Password/), "secret-password");
  await user.type(screen.getByLabelText(/One-time code/), "123456");
  await user.click(screen.getByRole("button", { name: "Sign in" }));
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the sign-in form", () => {
  it("says the code is wrong", async () => {
    answer(401, { error_id: "bad-credentials", detail: "Wrong username, password or code." });
    renderSignIn();
    await submit();
    expect(await screen.findByRole("alert")).toHaveTextContent("one-time code is wrong");
  });

  it("explains a lockout and how long it lasts", async () => {
    answer(423, { error_id: "account-locked", detail: "locked" }, { "Retry-After": "600" });
    renderSignIn();
    await submit();
    expect(await screen.findByRole("alert")).toHaveTextContent("in about 10 minutes");
  });

  it("sends the username, password and code in the body, and signs in", async () => {
    const me = { user: { display_name: "Demo" }, permissions: [], session_id: "s" };
    const fetchMock = vi.fn(() => Promise.resolve(new Response(JSON.stringify(me), { status: 200 })));
    vi.stubGlobal("fetch", fetchMock);
    const onSignedIn = renderSignIn();
    await submit();
    await vi.waitFor(() => {
      expect(onSignedIn).toHaveBeenCalled();
    });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/v1/auth/login");
    expect(JSON.parse(init.body as string)).toEqual({
      username: "frontdesk",
      password: "secret-password",
      totp: "123456",
    });
  });

  it("offers a new user their set-up code and shows it as a QR image and a typed key", async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h1"/></svg>';
    const fetchMock = vi.fn((url: string) =>
      Promise.resolve(
        url === "/api/v1/auth/login"
          ? new Response(JSON.stringify({ error_id: "mfa-required", enrolment_open: true }), {
              status: 401,
              headers: { "Content-Type": "application/problem+json" },
            })
          : new Response(
              JSON.stringify({ secret: "JBSWY3DPEHPK3PXPJBSWY3DP", otpauth_uri: "otpauth://totp/x", qr_svg: svg }),
              { status: 200 },
            ),
      ),
    );
    vi.stubGlobal("fetch", fetchMock);
    renderSignIn();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/Username/), "new.nurse");
    await user.type(screen.getByLabelText(/Password/), "secret-password");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    await user.click(await screen.findByRole("button", { name: "Show my set-up code" }));
    expect(await screen.findByTestId("enrolment-secret")).toHaveTextContent("JBSW Y3DP EHPK 3PXP JBSW Y3DP");
    const qr = screen.getByRole("img", { name: /Set-up code/ });
    expect(qr.getAttribute("src")).toMatch(/^data:image\/svg\+xml;base64,/);
    const [url, init] = fetchMock.mock.calls[1] as unknown as [string, RequestInit];
    expect(url).toBe("/api/v1/auth/enrolment");
    expect(JSON.parse(init.body as string)).toEqual({ username: "new.nurse", password: "secret-password" });
  });

  it("does not offer a set-up when the account has one already", async () => {
    answer(401, { error_id: "mfa-required", enrolment_open: false });
    renderSignIn();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/Username/), "nurse");
    await user.type(screen.getByLabelText(/Password/), "secret-password");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("6-digit");
    expect(screen.queryByTestId("enrol-offer")).toBeNull();
  });

  it("explains an idle logoff", () => {
    renderSignIn("session-expired");
    expect(screen.getByTestId("signed-out-reason")).toHaveTextContent("15 minutes");
  });
});
