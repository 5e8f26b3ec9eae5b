// VietQR box: copy buttons and a live countdown to the transfer deadline.
// Without JavaScript the buttons stay hidden and the deadline reads as plain text.
(function () {
  "use strict";

  function copy(button) {
    var text = button.getAttribute("data-copy");
    var done = function () {
      var label = button.firstChild;
      var before = label.nodeValue;
      label.nodeValue = button.getAttribute("data-copied");
      setTimeout(function () { label.nodeValue = before; }, 2000);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () {});
    }
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { copy(button); });
  });

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  document.querySelectorAll("time[data-deadline]").forEach(function (time) {
    var output = time.parentNode.querySelector("[data-countdown]");
    var deadline = Date.parse(time.getAttribute("datetime"));
    if (!output || isNaN(deadline)) { return; }
    var tick = function () {
      var left = Math.round((deadline - Date.now()) / 1000);
      if (left <= 0) {
        output.textContent = output.getAttribute("data-expired");
        return;
      }
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      output.textContent = (h ? h + ":" + pad(m) : m) + ":" + pad(s);
      setTimeout(tick, 1000);
    };
    tick();
  });

  // Reload once the bank's notification has arrived, so the shopper sees the order confirmed.
  var box = document.querySelector("[data-status-url]");
  if (box && window.fetch) {
    var received = box.getAttribute("data-received");
    var poll = function () {
      fetch(box.getAttribute("data-status-url"), {credentials: "same-origin", cache: "no-store"})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (state && (!state.awaiting || String(state.received) !== received)) {
            window.location.reload();
          } else {
            setTimeout(poll, 4000);
          }
        }, function () { setTimeout(poll, 15000); });
    };
    setTimeout(poll, 4000);
  }
})();
