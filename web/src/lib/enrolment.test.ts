import { describe, expect, it } from "vitest";
import { groupSecret, svgDataUri } from "./enrolment";

describe("enrolment helpers", () => {
  it("groups a secret in fours for typing", () => {
    expect(groupSecret("jbswy3dpehpk3pxpab")).toBe("JBSW Y3DP EHPK 3PXP AB");
    expect(groupSecret("")).toBe("");
  });

  it("turns SVG text into an image URL that decodes back to it", () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h1"/></svg>';
    const uri = svgDataUri(svg);
    expect(uri.startsWith("data:image/svg+xml;base64,")).toBe(true);
    expect(atob(uri.split(",")[1] ?? "")).toBe(svg);
  });
});
