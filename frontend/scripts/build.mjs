// Bundles src/editor.js and its dependencies into one file served by Django (no CDN), and writes
// the licences of every bundled package next to it. Run with `make editor` (or `npm run build`).
import { build } from "esbuild";
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const outDir = resolve(root, "../src/vetta/web/static/vendor/codemirror");
mkdirSync(outDir, { recursive: true });

const result = await build({
  entryPoints: [join(root, "src/editor.js")],
  bundle: true,
  minify: true,
  format: "iife",
  globalName: "VettaEditor",
  target: ["es2020"],
  outfile: join(outDir, "vetta-editor.js"),
  legalComments: "none",
  metafile: true,
  logLevel: "info",
});

// Which npm packages ended up in the bundle, from esbuild's own account of its inputs.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (!match) continue;
  const name = match[1];
  const dir = join(root, "node_modules", name);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  packages.set(name, { version: pkg.version, license: pkg.license, dir });
}
const sections = [...packages.keys()].sort().map((name) => {
  const { version, license, dir } = packages.get(name);
  const file = ["LICENSE", "LICENSE.md", "LICENSE.txt", "license"].map((f) => join(dir, f)).find(existsSync);
  const text = file ? readFileSync(file, "utf8").trim() : `License: ${license}`;
  return `${name} ${version} (${license})\n${"-".repeat(72)}\n${text}\n`;
});
writeFileSync(
  join(outDir, "LICENSES.txt"),
  "vetta-editor.js bundles the following packages (built from frontend/ with esbuild).\n\n" +
    sections.join("\n"),
);
console.log(`bundled ${packages.size} packages: ${[...packages.keys()].sort().join(", ")}`);
