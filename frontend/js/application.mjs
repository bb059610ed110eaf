// Progressive enhancement for GOV.UK Frontend and MOJ Frontend components.
// Loaded as <script type="module">, so it runs only in browsers that GOV.UK Frontend supports
// (base.html adds `govuk-frontend-supported` to <body> for them). Both bundles are copied next
// to this file by build.mjs.
import { initAll as initGovukFrontend } from "./govuk-frontend.min.js";
import { initAll as initMojFrontend } from "./moj-frontend.min.js";

initGovukFrontend();
initMojFrontend();

// Content swapped in by htmx gets the same enhancements.
document.body.addEventListener("htmx:load", (event) => {
  const scope = event.target;
  if (scope instanceof Element && scope !== document.body) {
    initGovukFrontend({ scope });
    initMojFrontend({ scope });
  }
});
