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

// The session timeout warning (GOV.UK timeout warning pattern): two minutes before the session
// ends, a modal dialog offers "Stay signed in". The server's timer is the truth: the dialog
// asks /accounts/session/ how long is left, which does not itself count as activity.
const timeoutDialog = document.getElementById("session-timeout-warning");
if (timeoutDialog instanceof HTMLDialogElement) {
  const statusUrl = timeoutDialog.dataset.statusUrl;
  const warningSeconds = Number(timeoutDialog.dataset.warningSeconds || "120");
  const countdown = timeoutDialog.querySelector("[data-session-countdown]");
  const keepAlive = timeoutDialog.querySelector("form[data-session-keep-alive]");
  let timer;

  const describe = (seconds) =>
    seconds >= 60
      ? `${Math.ceil(seconds / 60)} minute${Math.ceil(seconds / 60) === 1 ? "" : "s"}`
      : `${seconds} second${seconds === 1 ? "" : "s"}`;

  const check = async () => {
    let secondsLeft;
    try {
      const response = await fetch(statusUrl, { headers: { Accept: "application/json" } });
      if (!response.ok || !response.headers.get("Content-Type")?.includes("json")) {
        window.location.reload();
        return;
      }
      secondsLeft = (await response.json()).seconds_left;
    } catch {
      timer = setTimeout(check, 30000);
      return;
    }
    if (secondsLeft <= 0) {
      window.location.reload();
      return;
    }
    if (secondsLeft <= warningSeconds) {
      countdown.textContent = describe(secondsLeft);
      if (!timeoutDialog.open) timeoutDialog.showModal();
      timer = setTimeout(check, 1000);
    } else {
      if (timeoutDialog.open) timeoutDialog.close();
      timer = setTimeout(check, Math.min(secondsLeft - warningSeconds, 60) * 1000);
    }
  };

  keepAlive?.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearTimeout(timer);
    await fetch(keepAlive.action, {
      method: "POST",
      body: new FormData(keepAlive),
      headers: { Accept: "application/json" },
    });
    timeoutDialog.close();
    check();
  });

  check();
}
