// Posts the one-time ticket Datablik's server gave this session; the server's answer sets the
// HttpOnly login cookie. The Streamlit component protocol is spoken directly (no build step).
(function () {
  var sent = {};
  function toStreamlit(type, data) {
    var message = Object.assign({ isStreamlitMessage: true, type: type }, data);
    window.parent.postMessage(message, "*");
  }
  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || !event.data || event.data.type !== "streamlit:render") return;
    var args = event.data.args || {};
    var ticket = args.ticket;
    if (!ticket || sent[ticket]) return;
    sent[ticket] = true;
    fetch(args.path, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify({ ticket: ticket })
    }).then(function (answer) {
      toStreamlit("streamlit:setComponentValue", { value: { ticket: ticket, ok: answer.ok }, dataType: "json" });
    }, function () {
      toStreamlit("streamlit:setComponentValue", { value: { ticket: ticket, ok: false }, dataType: "json" });
    });
  });
  toStreamlit("streamlit:componentReady", { apiVersion: 1 });
  toStreamlit("streamlit:setFrameHeight", { height: 0 });
})();
