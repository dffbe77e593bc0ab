// The ticker: listens to ws(s)://<this host>/ticker, where a @Scheduled task broadcasts the time and
// the number of people in the chat every second, and shows the latest tick.
"use strict";
(() => {
  const tick = document.getElementById("tick");
  function listen() {
    const socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ticker");
    socket.onmessage = (event) => { tick.textContent = String(event.data); };
    socket.onclose = () => {
      tick.textContent = "disconnected, retrying in 5 s";
      setTimeout(listen, 5000);
    };
  }
  listen();
})();
