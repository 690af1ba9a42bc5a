// Bundles the card into the integration, as one ES module with Lit included.
//
// The bundle's first line is a hash of everything it is built from (these sources, the package
// files and this script): tests/test_card_bundle.py recomputes it, so a bundle left stale fails
// the tests without needing npm.

import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { build } from "esbuild";

const OUTPUT = "../custom_components/plex_butler/www/plex-butler-card.js";
const INPUTS = ["build.mjs", "package.json", "package-lock.json", "tsconfig.json"];

function sourceFiles() {
  const files = readdirSync("src", { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).replaceAll("\\", "/"));
  return [...INPUTS, ...files.sort()];
}

// Each file's path and bytes, in order; the same as the Python test's.
function sourceHash() {
  const hash = createHash("sha256");
  for (const file of sourceFiles()) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(file));
    hash.update("\0");
  }
  return hash.digest("hex");
}

const result = await build({
  entryPoints: ["src/index.ts"],
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  legalComments: "none",
  write: false,
});
const header = `// plex-butler-card, built from frontend/ (sources sha256 ${sourceHash()})\n`;
writeFileSync(OUTPUT, header + result.outputFiles[0].text);
console.log(`Wrote ${OUTPUT}`);
