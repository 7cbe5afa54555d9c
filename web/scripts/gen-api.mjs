// Generate src/api/schema.d.ts from careline's OpenAPI document.
//
//   npm run gen:api      rewrite src/api/schema.d.ts
//   npm run check:api    exit 1 when the checked-in file differs from the API
//
// The document comes from Python (scripts/dump_openapi.py, with ../.venv's Python
// unless CARELINE_PYTHON says otherwise), so no server needs to run.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const here = dirname(fileURLToPath(import.meta.url));
const web = join(here, "..");
const target = join(web, "src", "api", "schema.d.ts");
const check = process.argv.includes("--check");

function python() {
  if (process.env.CARELINE_PYTHON) return process.env.CARELINE_PYTHON;
  const venv = join(web, "..", ".venv", process.platform === "win32" ? "Scripts/python.exe" : "bin/python");
  return existsSync(venv) ? venv : "python3";
}

const json = execFileSync(python(), [join(here, "dump_openapi.py")], {
  encoding: "utf8",
  maxBuffer: 64 * 1024 * 1024,
});
const ast = await openapiTS(JSON.parse(json));
const header =
  "// Generated from careline's OpenAPI document by `npm run gen:api`. Do not edit.\n\n";
const generated = header + astToString(ast);

if (check) {
  const current = existsSync(target) ? readFileSync(target, "utf8") : "";
  if (current !== generated) {
    console.error(
      "web/src/api/schema.d.ts is out of date with the API. Run `cd web && npm run gen:api` and commit it.",
    );
    process.exit(1);
  }
  console.log("web/src/api/schema.d.ts matches the API.");
} else {
  writeFileSync(target, generated);
  console.log(`wrote ${target}`);
}
