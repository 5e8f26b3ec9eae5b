/* Progressive enhancement for the shop: every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };

  function setCartCount(count, words) {
    var badge = $("#cart-count");
    if (!badge) return;
    badge.textContent = count;
    badge.hidden = !count;
    var spoken = $("#cart-count-words");
    if (spoken) spoken.textContent = words || "";
  }

  /* Add to cart without leaving the page, then offer "view cart" and "check out". */
  $$("form[data-add-to-cart]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var sheet = $("#added-sheet");
      if (!sheet || typeof sheet.showModal !== "function" || !window.fetch) return;
      event.preventDefault();
      var button = $("button[type=submit]", form);
      button.disabled = true;
      fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                          headers: {"Accept": "application/json"}})
        .then(function (response) { return response.json().then(function (data) { return [response.ok, data]; }); })
        .then(function (result) {
          var data = result[1];
          $("#added-sheet-message").textContent = data.message;
          sheet.classList.toggle("is-error", !result[0]);
          if (result[0]) setCartCount(data.count, data.count_words);
          sheet.showModal();
        })
        .catch(function () { form.submit(); })
        .then(function () { button.disabled = false; });
    });
  });
  $$("[data-close-dialog]").forEach(function (button) {
    button.addEventListener("click", function () { button.closest("dialog").close(); });
  });

  /* Gallery: thumbnails follow the swipe; a tap on a photo opens it full screen, a second tap zooms. */
  $$(".gallery").forEach(function (gallery) {
    var thumbs = $$(".gallery-thumbs a", gallery.parentNode);
    var slides = $$("li", gallery);
    gallery.addEventListener("scroll", function () {
      var index = Math.round(gallery.scrollLeft / Math.max(gallery.clientWidth, 1));
      thumbs.forEach(function (t, i) { t.setAttribute("aria-current", i === index ? "true" : "false"); });
    }, {passive: true});
    thumbs.forEach(function (thumb, i) {
      thumb.addEventListener("click", function (event) {
        event.preventDefault();
        gallery.scrollTo({left: slides[i].offsetLeft - gallery.offsetLeft, behavior: "smooth"});
      });
    });
    var zoom = $("#zoom-dialog");
    if (!zoom || typeof zoom.showModal !== "function") return;
    var big = $("img", zoom);
    $$("a.gallery-photo", gallery).forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        big.src = link.href;
        big.alt = $("img", link).alt;
        zoom.classList.remove("zoomed");
        zoom.showModal();
      });
    });
    big.addEventListener("click", function () { zoom.classList.toggle("zoomed"); });
  });

  /* Cart: a typed quantity applies itself. */
  $$("input[data-autosubmit]").forEach(function (input) {
    input.addEventListener("change", function () {
      if (input.form.requestSubmit) input.form.requestSubmit(); else input.form.submit();
    });
  });

  /* Catalogue: the drawer opens without a jump, and results and counts follow each choice. */
  var drawer = $("#catalog-filters");
  if (drawer) {
    var form = $("form", drawer);
    var open = function (event) { if (event) event.preventDefault(); drawer.classList.add("is-open");
      document.body.classList.add("drawer-open"); var first = $("input, select", drawer); if (first) first.focus(); };
    var close = function (event) { if (event) event.preventDefault(); drawer.classList.remove("is-open");
      document.body.classList.remove("drawer-open"); if (location.hash === "#catalog-filters") history.replaceState(null, "", location.pathname + location.search); };
    $$("[data-open-drawer]").forEach(function (b) { b.addEventListener("click", open); });
    $$("[data-close-drawer]").forEach(function (b) { b.addEventListener("click", close); });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape" && drawer.classList.contains("is-open")) close(); });
    var pending = null;
    var refresh = function () {
      var params = new URLSearchParams(new FormData(form));
      params.forEach(function (value, key) { if (!value) params.delete(key); });
      var url = form.action + (params.toString() ? "?" + params : "");
      if (pending) pending.abort();
      pending = new AbortController();
      var results = $("#catalog-results");
      results.classList.add("is-loading");
      fetch(url, {signal: pending.signal, credentials: "same-origin", headers: {"X-Partial": "catalogue"}})
        .then(function (r) { return r.text(); })
        .then(function (html) {
          var next = new DOMParser().parseFromString(html, "text/html");
          ["#catalog-results", "#filter-count"].forEach(function (sel) {
            var fresh = $(sel, next), old = $(sel);
            if (fresh && old) old.replaceWith(fresh);
          });
          updateFacets($("#filter-facets"), $("#filter-facets", next));
          history.replaceState(null, "", url);
        })
        .catch(function () {})
        .then(function () { var r = $("#catalog-results"); if (r) r.classList.remove("is-loading"); });
    };
    /* New counts and disabled states, on the same inputs: what the shopper is ticking stays put. */
    var updateFacets = function (current, fresh) {
      if (!current || !fresh) return;
      $$("fieldset", fresh).forEach(function (freshSet, i) {
        var set = $$("fieldset", current)[i];
        if (!set) return;
        var ids = function (root) { return $$("input", root).map(function (el) { return el.id; }).join(" "); };
        if (ids(set) !== ids(freshSet)) {  // another list of villages: take the new one
          var focused = document.activeElement && document.activeElement.id;
          set.replaceWith(freshSet);
          var again = focused && document.getElementById(focused);
          if (again) again.focus({preventScroll: true});
          return;
        }
        $$("input", freshSet).forEach(function (input) {
          var mine = document.getElementById(input.id);
          if (!mine) return;
          mine.disabled = input.disabled && !mine.checked;
          var label = $("label[for='" + input.id + "']", freshSet), myLabel = $("label[for='" + input.id + "']", set);
          if (label && myLabel) myLabel.innerHTML = label.innerHTML;
        });
      });
    };
    form.addEventListener("change", function (event) {
      if (event.target.name === "q") return;
      refresh();
    });
  }

  /* Order page: the counter view fills the screen and keeps it awake. */
  $$("[data-counter-open]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var view = document.getElementById(link.getAttribute("href").slice(1));
      if (!view) return;
      event.preventDefault();
      view.classList.add("is-open");
      if (view.requestFullscreen) view.requestFullscreen().catch(function () {});
      if (navigator.wakeLock) navigator.wakeLock.request("screen").then(function (lock) { view._lock = lock; }).catch(function () {});
      var closeLink = $("[data-counter-close]", view);
      if (closeLink) closeLink.focus();
    });
  });
  $$("[data-counter-close]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var view = link.closest(".counter-view");
      event.preventDefault();
      view.classList.remove("is-open");
      if (document.fullscreenElement && document.exitFullscreen) document.exitFullscreen().catch(function () {});
      if (view._lock) view._lock.release();
      if (location.hash === "#" + view.id) history.replaceState(null, "", location.pathname + location.search);
    });
  });
})();
