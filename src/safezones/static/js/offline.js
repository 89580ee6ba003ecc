// Forms marked data-offline are sent with fetch. When the network is down the
// form is kept on this phone and sent when it returns; each form carries a key
// chosen when the page was drawn, so the server records it once however many
// times it arrives.
(function () {
  "use strict";
  const KEY = "safezones-queue";
  const status = document.getElementById("offline-status");

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function save(queue) { localStorage.setItem(KEY, JSON.stringify(queue)); show(queue); }
  function show(queue) {
    if (!status) return;
    status.hidden = queue.length === 0;
    status.textContent = (status.dataset.waiting || "").replace("{count}", String(queue.length));
  }

  async function send(item) {
    const response = await fetch(item.action, {
      method: "POST",
      body: new URLSearchParams(item.body),
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    return response;
  }

  async function flush() {
    let queue = load();
    while (queue.length && navigator.onLine) {
      try {
        const response = await send(queue[0]);
        if (response.status >= 500) break;
      } catch (e) {
        break;
      }
      queue = load().slice(1);
      save(queue);
    }
    show(load());
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-offline")) return;
    event.preventDefault();
    const body = new URLSearchParams(new FormData(form));
    const item = { action: form.action, body: body.toString() };
    try {
      if (!navigator.onLine) throw new Error("offline");
      const response = await send(item);
      if (response.status >= 500) throw new Error("server");
      window.location.assign(response.url);
    } catch (e) {
      body.set("noted_at", new Date().toISOString());
      item.body = body.toString();
      const queue = load();
      queue.push(item);
      save(queue);
      form.reset();
    }
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.action.endsWith("/accounts/sign-out/")) {
      localStorage.removeItem(KEY);
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage("forget");
      }
    }
  });

  window.addEventListener("online", flush);
  if ("serviceWorker" in navigator && document.body.dataset.serviceWorker) {
    navigator.serviceWorker.register(document.body.dataset.serviceWorker, { scope: "/" });
  }
  show(load());
  flush();
})();
