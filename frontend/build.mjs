// Copies the JavaScript and image assets that the stylesheet and templates use into
// ../static/dist. Node only, no dependencies, so it runs the same on every machine.
// (The stylesheet itself is compiled by sass: see "build:css" in package.json.)
//
// GOV.UK Frontend's fonts are GDS Transport, and its images (crown favicon, crest, GOV.UK
// icons) and web app manifest (which lists those icons) belong to GOV.UK. IRO Service is not
// a GOV.UK service, so none of them is copied; frontend/assets/ holds our own favicon and a
// blank stand-in for the crest file that GOV.UK Frontend's footer CSS names.

import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const dist = join(here, "..", "static", "dist");
const images = join(dist, "assets", "images");

// Images with the crown, crest or GOV.UK/MOJ identity on them.
const BRANDED = /crown|crest|logotype|govuk-icon|opengraph|apple-touch|^favicon\./;

const scripts = [
  "govuk-frontend/dist/govuk/govuk-frontend.min.js",
  "govuk-frontend/dist/govuk/govuk-frontend.min.js.map",
  "@ministryofjustice/frontend/moj/moj-frontend.min.js",
  "@ministryofjustice/frontend/moj/moj-frontend.min.js.map",
  "htmx.org/dist/htmx.min.js",
];

const imageDirs = [
  "govuk-frontend/dist/govuk/assets/images",
  "@ministryofjustice/frontend/moj/assets/images",
];

function copy(from, to) {
  if (!existsSync(from)) {
    throw new Error(`Missing ${from}: run "npm install" in frontend/ first.`);
  }
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

mkdirSync(dist, { recursive: true });
rmSync(join(dist, "assets"), { recursive: true, force: true });

for (const file of scripts) {
  copy(join(modules, file), join(dist, basename(file)));
}
copy(join(here, "js", "application.mjs"), join(dist, "application.mjs"));

for (const dir of imageDirs) {
  cpSync(join(modules, dir), images, {
    recursive: true,
    filter: (src) => !BRANDED.test(basename(src)),
  });
}
cpSync(join(here, "assets", "images"), images, { recursive: true });

console.log(`Copied scripts and assets to ${dist}`);
