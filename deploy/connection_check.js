// Added to every page by deploy/serve.py. Streamlit draws the page over a WebSocket
// (/_stcore/stream). This watches the app's own WebSocket for two things:
// - Where something between the browser and the server (a proxy or firewall) strips the WebSocket
//   upgrade, the page would only ever show a spinner: if the WebSocket has failed twice while the
//   server itself answers, a plain page says so.
// - When the connection comes back after being lost (the server stopped, and the proxy sent the
//   browser to another), Streamlit leaves the old page on screen until the next click. Here the page
//   is run again at once (Streamlit's own "r" shortcut), so it shows what the server now has, and
//   says so (ui/continuity.py).
(function () {
  "use strict";
  var Native = window.WebSocket;
  if (!Native || window.__iroConnectionCheck) {
    return;
  }
  window.__iroConnectionCheck = true;
  var failures = 0;
  var opened = false;
  var opens = 0;
  var healthUrl = null;
  var shown = false;

  function notice() {
    if (shown || opened) {
      return;
    }
    shown = true;
    var box = document.createElement("div");
    box.id = "iro-connection-notice";
    box.setAttribute("role", "alert");
    box.setAttribute("lang", "en-GB");
    box.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;background:#ffffff;color:#0b0c0c;" +
      "font-family:system-ui,sans-serif;line-height:1.5;overflow:auto;padding:3em 1em";
    var inner = document.createElement("div");
    inner.style.cssText = "max-width:40em;margin:0 auto";
    var h = document.createElement("h1");
    h.style.cssText = "font-size:1.6em";
    h.textContent = "The dashboard cannot open its connection";
    var p1 = document.createElement("p");
    p1.textContent =
      "This page loaded, but the live connection it needs (a WebSocket) was refused on the way " +
      "to the server. Usually a proxy or firewall between you and the dashboard removes the " +
      "WebSocket upgrade.";
    var p2 = document.createElement("p");
    p2.textContent =
      "Ask your IT team to allow WebSocket connections to " + window.location.host +
      " (a proxy must pass the Upgrade and Connection headers for /_stcore/stream). " +
      "Nothing that has been saved is lost.";
    inner.appendChild(h);
    inner.appendChild(p1);
    inner.appendChild(p2);
    box.appendChild(inner);
    document.body.appendChild(box);
    document.title = "The dashboard cannot open its connection";
  }

  function check() {
    if (opened || shown || failures < 2 || !healthUrl) {
      return;
    }
    // The server answers plain requests: only the WebSocket is being refused.
    fetch(healthUrl, { cache: "no-store" })
      .then(function (r) {
        if (r.ok) {
          notice();
        }
      })
      .catch(function () {});
  }

  function rerun() {
    document.dispatchEvent(
      new KeyboardEvent("keydown", { key: "r", code: "KeyR", keyCode: 82, which: 82, bubbles: true })
    );
  }

  function Watched(url, protocols) {
    var ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    try {
      var u = new URL(String(url), window.location.href);
      if (u.pathname.slice(-15) === "/_stcore/stream") {
        u.protocol = u.protocol === "wss:" ? "https:" : "http:";
        u.pathname = u.pathname.slice(0, -15) + "/_stcore/health";
        healthUrl = u.toString();
        ws.addEventListener("open", function () {
          opened = true;
          failures = 0;
          opens += 1;
          if (opens > 1) {
            window.setTimeout(rerun, 300);
          }
        });
        ws.addEventListener("close", function () {
          if (!opened) {
            failures += 1;
            check();
          }
        });
      }
    } catch (e) {
      // Never stand in the app's way.
    }
    return ws;
  }
  Watched.prototype = Native.prototype;
  Watched.CONNECTING = Native.CONNECTING;
  Watched.OPEN = Native.OPEN;
  Watched.CLOSING = Native.CLOSING;
  Watched.CLOSED = Native.CLOSED;
  window.WebSocket = Watched;
})();
