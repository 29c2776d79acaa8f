// Who else has this form open: a heartbeat every 30 s keeps this editor present and
// brings back the others' names; leaving the page says so. No lock: saving from a
// form someone saved meanwhile is refused by the version check, whatever this says.
"use strict";
(function () {
  const banner = document.querySelector(".presence[data-presence-url]");
  if (!banner) return;
  const url = banner.dataset.presenceUrl;
  const token = () => {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  };
  const body = (extra) => {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", token());
    for (const [key, value] of Object.entries(extra || {})) data.append(key, value);
    return data;
  };
  async function beat() {
    try {
      const response = await fetch(url, { method: "POST", body: body(), credentials: "same-origin" });
      if (!response.ok) return;
      const { others } = await response.json();
      banner.textContent = others;
      banner.hidden = !others;
    } catch (error) {
      // Offline for a moment: the next beat tries again.
    }
  }
  const timer = window.setInterval(beat, 30000);
  window.addEventListener("pagehide", () => {
    window.clearInterval(timer);
    navigator.sendBeacon(url, body({ leaving: "1" }));
  });
})();
