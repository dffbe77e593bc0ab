// The live panel: every second, the open connections of each endpoint from /actuator/websocket,
// and its messages per second from the autobahn.websocket.messages.received/.sent counters of
// /actuator/metrics (the difference between two readings), each drawn as a number and an SVG
// sparkline of the last 60 readings.
"use strict";
(() => {
  const PERIOD_MS = 1000;
  const POINTS = 60;
  const SVG = "http://www.w3.org/2000/svg";
  const body = document.querySelector("#panel tbody");
  const panelStatus = document.getElementById("panel-status");
  const rows = new Map();

  async function json(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
    if (response.status === 404) {
      return null; // a counter not registered (yet)
    }
    if (!response.ok) {
      throw new Error("GET " + url + " answered " + response.status);
    }
    return response.json();
  }

  async function count(meter, endpoint) {
    const reading = await json("/actuator/metrics/" + meter + "?tag=endpoint:" + encodeURIComponent(endpoint));
    const measurement = reading && reading.measurements.find((m) => m.statistic === "COUNT");
    return measurement ? measurement.value : 0;
  }

  function sparkline() {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "120");
    svg.setAttribute("height", "24");
    svg.setAttribute("viewBox", "0 0 " + (POINTS - 1) + " 24");
    svg.setAttribute("preserveAspectRatio", "none");
    svg.appendChild(document.createElementNS(SVG, "polyline"));
    return svg;
  }

  function figure(cell, kind) {
    const value = document.createElement("span");
    value.className = "value " + kind;
    value.textContent = "-";
    cell.className = "figure";
    cell.appendChild(value);
    const svg = sparkline();
    cell.appendChild(svg);
    return { value, line: svg.firstChild, history: [] };
  }

  function row(name, path) {
    let r = rows.get(name);
    if (!r) {
      const tr = document.createElement("tr");
      tr.dataset.endpoint = name;
      const cells = [0, 1, 2, 3, 4].map(() => tr.appendChild(document.createElement("td")));
      cells[0].textContent = name;
      cells[1].textContent = path;
      r = { open: figure(cells[2], "open"), in: figure(cells[3], "in"), out: figure(cells[4], "out"),
        last: null };
      body.appendChild(tr);
      rows.set(name, r);
    }
    return r;
  }

  function show(fig, value, text) {
    fig.value.textContent = text;
    fig.history.push(value);
    if (fig.history.length > POINTS) {
      fig.history.shift();
    }
    const max = Math.max(1, ...fig.history);
    const start = POINTS - fig.history.length;
    fig.line.setAttribute("points",
      fig.history.map((v, i) => (start + i) + "," + (23 - (v / max) * 22).toFixed(1)).join(" "));
  }

  async function poll() {
    try {
      const now = performance.now();
      const all = await json("/actuator/websocket");
      const endpoints = Object.entries((all && all.endpoints) || {});
      const counts = await Promise.all(endpoints.map(([name]) => Promise.all([
        count("autobahn.websocket.messages.received", name), count("autobahn.websocket.messages.sent", name)])));
      endpoints.forEach(([name, endpoint], i) => {
        const r = row(name, endpoint.path);
        const [received, sent] = counts[i];
        show(r.open, endpoint.connections, String(endpoint.connections));
        if (r.last) {
          const seconds = Math.max(0.001, (now - r.last.time) / 1000);
          const rateIn = Math.max(0, received - r.last.received) / seconds;
          const rateOut = Math.max(0, sent - r.last.sent) / seconds;
          show(r.in, rateIn, rateIn.toFixed(1));
          show(r.out, rateOut, rateOut.toFixed(1));
        }
        r.last = { time: now, received, sent };
      });
      panelStatus.textContent = "read at " + new Date().toLocaleTimeString();
      panelStatus.className = "event";
    } catch (error) {
      panelStatus.textContent = "panel: " + error.message;
      panelStatus.className = "error";
    }
    setTimeout(poll, PERIOD_MS);
  }

  poll();
})();
