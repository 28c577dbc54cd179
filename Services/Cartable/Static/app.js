// The cartable's only script: an open inbox listens to the server's events and redraws its
// list and counts when a task of the employee's changes. Everything works without it.
"use strict";
(function () {
  const source = document.body.dataset.live;
  const list = document.getElementById("inbox-list");
  if (!source || !list || !window.EventSource) return;
  let busy = false, again = false;
  async function redraw() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const url = new URL(window.location.href);
      url.searchParams.set("part", "list");
      const response = await fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } });
      if (response.ok) {
        const before = new Set([...list.querySelectorAll("[data-task]")].map((e) => e.dataset.task));
        list.innerHTML = await response.text();
        for (const item of list.querySelectorAll("[data-task]")) if (!before.has(item.dataset.task)) item.classList.add("fresh");
        const counts = list.querySelector("[data-counts]");
        if (counts) for (const [name, count] of Object.entries(JSON.parse(counts.dataset.counts))) {
          const badge = document.querySelector(`.count[data-count="${name}"]`);
          if (badge) badge.textContent = count;
        }
      }
    } finally {
      busy = false;
      if (again) { again = false; redraw(); }
    }
  }
  const events = new EventSource(source);
  events.addEventListener("inbox", redraw);
})();
