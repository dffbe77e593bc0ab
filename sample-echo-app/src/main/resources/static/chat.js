// The chat: joins ws(s)://<this host>/chat?room=...&nick=... (same origin: the starter's default
// allows it), shows every line the room broadcasts, and sends what is typed. ?nick=alice&room=lobby
// in the page's address fills the form in and joins at once.
"use strict";
(() => {
  const form = document.getElementById("join");
  const nick = document.getElementById("nick");
  const room = document.getElementById("room");
  const leave = document.getElementById("leave");
  const connect = document.getElementById("connect");
  const status = document.getElementById("status");
  const log = document.getElementById("log");
  const say = document.getElementById("say");
  const message = document.getElementById("message");
  const send = document.getElementById("send");
  let socket = null;

  function append(kind, text) {
    const line = document.createElement("div");
    line.className = kind;
    line.textContent = text; // text, never markup: lines come from other clients
    log.appendChild(line);
    log.scrollTop = log.scrollHeight;
  }

  function setOpen(open) {
    message.disabled = !open;
    send.disabled = !open;
    leave.disabled = !open;
    connect.disabled = open;
    nick.disabled = open;
    room.disabled = open;
  }

  function join() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const url = scheme + location.host + "/chat?room=" + encodeURIComponent(room.value)
      + "&nick=" + encodeURIComponent(nick.value);
    status.textContent = "connecting";
    connect.disabled = true;
    socket = new WebSocket(url);
    socket.onopen = () => {
      status.textContent = "connected to room " + room.value;
      setOpen(true);
      message.focus();
    };
    socket.onmessage = (event) => {
      const line = String(event.data);
      append(line.startsWith("* ") ? "event" : line.startsWith(nick.value + ": ") ? "mine" : "said", line);
    };
    socket.onerror = () => append("error", "error (see the browser console)");
    socket.onclose = (event) => {
      status.textContent = "closed (" + event.code + (event.reason ? " " + event.reason : "") + ")";
      setOpen(false);
    };
  }

  form.onsubmit = (event) => {
    event.preventDefault();
    if (!socket || socket.readyState === WebSocket.CLOSED) {
      join();
    }
  };
  say.onsubmit = (event) => {
    event.preventDefault();
    if (message.value && socket && socket.readyState === WebSocket.OPEN) {
      socket.send(message.value);
      message.value = "";
    }
  };
  leave.onclick = () => socket && socket.close(1000, "bye");

  const params = new URLSearchParams(location.search);
  nick.value = params.get("nick") || "guest" + Math.floor(Math.random() * 1000);
  room.value = params.get("room") || "lobby";
  if (params.has("nick")) {
    join();
  }
})();
