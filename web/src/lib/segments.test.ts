import { describe, expect, it } from "vitest";
import { GSM7_BASIC, GSM7_EXTENSION, countSegments, foldedCharacters, isGsm7, toGsm7 } from "./segments";

describe("the GSM 03.38 tables", () => {
  it("has 127 basic characters (and the escape) and the 10 extension characters", () => {
    expect(new Set(GSM7_BASIC).size).toBe(127);
    expect(Array.from(GSM7_BASIC).length).toBe(127);
    expect(Array.from(GSM7_EXTENSION)).toEqual(["\f", "^", "{", "}", "\\", "[", "~", "]", "|", "€"]);
  });

  it("knows which Spanish letters GSM-7 has", () => {
    for (const ch of ["é", "ñ", "Ñ", "ü", "¿", "¡", "à", "É"]) expect(isGsm7(ch)).toBe(true);
    for (const ch of ["á", "í", "ó", "ú", "Á", "ç", "ê"]) expect(isGsm7(ch)).toBe(false);
  });
});

describe("segments", () => {
  it("counts nothing for an empty text", () => {
    expect(countSegments("")).toMatchObject({ encoding: "GSM-7", units: 0, segments: 0, perSegment: 160 });
  });

  it("fits 160 GSM-7 characters in one part and 153 per part after that", () => {
    expect(countSegments("a".repeat(160))).toMatchObject({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(countSegments("a".repeat(161))).toMatchObject({ units: 161, segments: 2, perSegment: 153 });
    expect(countSegments("a".repeat(306)).segments).toBe(2);
    expect(countSegments("a".repeat(307)).segments).toBe(3);
  });

  it("counts an extension character as two septets and never splits its pair", () => {
    expect(countSegments("€")).toMatchObject({ encoding: "GSM-7", units: 2, segments: 1 });
    expect(countSegments("a".repeat(158) + "€").units).toBe(160);
    expect(countSegments("a".repeat(159) + "€").segments).toBe(2);
    // 152 septets, then an escape pair that would straddle the part boundary.
    expect(countSegments("a".repeat(152) + "{" + "a".repeat(153)).segments).toBe(3);
  });

  it("keeps é in GSM-7 but á forces UCS-2 (70, then 67 per part)", () => {
    expect(countSegments("Su cita es mañana, José.").encoding).toBe("GSM-7");
    const info = countSegments("Está confirmada");
    expect(info).toMatchObject({ encoding: "UCS-2", units: 15, segments: 1, perSegment: 70, forcedBy: ["á"] });
    expect(countSegments("á".repeat(70)).segments).toBe(1);
    expect(countSegments("á".repeat(71))).toMatchObject({ segments: 2, perSegment: 67 });
    expect(countSegments("á".repeat(134)).segments).toBe(2);
    expect(countSegments("á".repeat(135)).segments).toBe(3);
  });

  it("counts an emoji as two UTF-16 units and lists each forcing character once", () => {
    const info = countSegments("Hola 😀 á á");
    expect(info.encoding).toBe("UCS-2");
    expect(info.units).toBe(11);
    expect(info.forcedBy).toEqual(["😀", "á"]);
  });
});

describe("folding to GSM-7 as careline sends reminders", () => {
  it("turns á í ó ú into plain letters and keeps é ñ ü ¿ ¡", () => {
    expect(toGsm7("¿Está aquí? Sí, ó ú é ñ ü ¡")).toBe("¿Esta aqui? Si, o u é ñ ü ¡");
    expect(countSegments(toGsm7("Su cita está confirmada")).encoding).toBe("GSM-7");
  });

  it("leaves what has no plain form (an emoji) as it is", () => {
    expect(toGsm7("Hola 😀")).toBe("Hola 😀");
    expect(foldedCharacters("Sí, está aquí 😀 é")).toEqual([
      { from: "í", to: "i" },
      { from: "á", to: "a" },
    ]);
  });
});
