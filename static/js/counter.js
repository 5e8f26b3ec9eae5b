/* The outlet counter that keeps working when the network does not (issue 26).
 *
 * On every outlet page (templates/counter/_status.html): registers the service worker (templates/
 * counter/sw.js), keeps the day's pickups of this staff member's outlet in IndexedDB (one database
 * per staff member and outlet), refreshes them whenever the network is there, shows when that last
 * happened, and replays hand-overs queued offline, in order, once the network is back.
 *
 * With no network, the worker answers every counter page with the offline page, and this script
 * draws the page asked for from the store: the day's list, one pickup, the code look-up. A typed
 * code is checked against the hashes the server sent (PBKDF2 with the day's device key; no code is
 * ever on the device before it is typed), with the server's rules counted here: a code opens one
 * pickup once, and too many wrong codes lock it for 15 minutes. A right code queues the hand-over
 * (and the money taken) under a random client id: "queued", never "done", until the server answers.
 * A wrong code is queued too (kind "wrong_code": the pickup, the time, the staff member, a client id;
 * never what was typed), in the same queue, so the server counts it towards the pickup's lock in
 * the order it happened. Each refresh takes the server's count and lock as the device's, plus the
 * wrong codes still waiting here: a pickup locked elsewhere is locked here too.
 *
 * Words come from the page (#counter-words data-words, rendered in the page's language).
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-counter]");
  var wordsNode = document.getElementById("counter-words");
  if (!box || !wordsNode || !("indexedDB" in window)) { return; }
  var words = JSON.parse(wordsNode.getAttribute("data-words"));
  var offlinePage = document.querySelector("[data-offline-page]");
  var view = offlinePage && offlinePage.querySelector("[data-counter-view]");
  var OWNER = "ocop-counter-owner";
  var PREFIX = "ocop-counter-";
  var LOCK_MS = 15 * 60 * 1000;
  var REFRESH_MS = 5 * 60 * 1000;

  var owner = box.getAttribute("data-owner") || "";
  try {
    if (owner) { localStorage.setItem(OWNER, owner); } else { owner = localStorage.getItem(OWNER) || ""; }
  } catch (error) { /* storage refused: the server pages still work */ }

  function say(template, values) {
    return String(template).replace(/%\((\w+)\)[sd]/g, function (match, name) {
      return values && name in values ? values[name] : match;
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") { node.textContent = attrs[name]; } else { node.setAttribute(name, attrs[name]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  // --- the store: IndexedDB, one database per staff member and outlet ----------------------------

  var opened = null;
  function store() {
    if (!owner) { return Promise.reject(new Error("no owner")); }
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        var request = indexedDB.open(PREFIX + owner, 1);
        request.onupgradeneeded = function () {
          var db = request.result;
          db.createObjectStore("meta");
          db.createObjectStore("queue", {keyPath: "client_id"});
          db.createObjectStore("tries", {keyPath: "pickup_id"});
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return opened;
  }

  function run(name, mode, work) {
    return store().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var result = work(tx.objectStore(name));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  function get(name, key) { return run(name, "readonly", function (s) { return s.get(key); }); }
  function put(name, value, key) {
    return run(name, "readwrite", function (s) { return key === undefined ? s.put(value) : s.put(value, key); });
  }
  function all(name) { return run(name, "readonly", function (s) { return s.getAll(); }); }
  function remove(name, key) { return run(name, "readwrite", function (s) { return s.delete(key); }); }

  /* Delete this device's counter data of every other staff member or outlet. */
  function forgetOthers() {
    if (!indexedDB.databases) { return Promise.resolve(); }
    return indexedDB.databases().then(function (list) {
      list.forEach(function (info) {
        if (info.name && info.name.indexOf(PREFIX) === 0 && info.name !== PREFIX + owner) {
          indexedDB.deleteDatabase(info.name);
        }
      });
    }).catch(function () {});
  }

  /* Delete everything of the counter on this device (signing out). */
  function wipeAll() {
    var done = [];
    if (opened) { done.push(opened.then(function (db) { db.close(); }).catch(function () {})); }
    opened = null;
    if (indexedDB.databases) {
      done.push(indexedDB.databases().then(function (list) {
        list.forEach(function (info) {
          if (info.name && info.name.indexOf(PREFIX) === 0) { indexedDB.deleteDatabase(info.name); }
        });
      }).catch(function () {}));
    } else if (owner) {
      indexedDB.deleteDatabase(PREFIX + owner);
    }
    try { localStorage.removeItem(OWNER); } catch (error) { /* nothing kept */ }
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({type: "counter-wipe"});
    }
    return Promise.all(done);
  }

  // --- the day ------------------------------------------------------------------------------------

  function hanoiToday() {
    return new Intl.DateTimeFormat("en-CA", {timeZone: "Asia/Ho_Chi_Minh", year: "numeric",
      month: "2-digit", day: "2-digit"}).format(new Date());
  }

  /* The snapshot when it is today's (another day's codes and list are of no use, and not shown). */
  function today() {
    return get("meta", "snapshot").then(function (snap) {
      return snap && snap.day === hanoiToday() ? snap : null;
    }).catch(function () { return null; });
  }

  function isJson(response) {
    return response.ok && (response.headers.get("Content-Type") || "").indexOf("application/json") !== -1;
  }

  var signedOut = false;
  var csrf = null;

  /* Fetch the day's data; keep it; return it (null with no network or no session). */
  function sync() {
    if (!navigator.onLine) { return Promise.resolve(null); }
    return fetch(box.getAttribute("data-sync"), {credentials: "same-origin", cache: "no-store",
      headers: {"Accept": "application/json"}}).then(function (response) {
      if (!isJson(response)) {
        if (response.redirected || response.status === 401 || response.status === 403) {
          signedOut = true;  // the session ended (signed out elsewhere?): the shoppers' data goes
          return remove("meta", "snapshot").then(function () { return null; });
        }
        return null;
      }
      return response.json().then(function (data) {
        signedOut = false;
        csrf = data.csrf_token;
        var keep = Object.assign({}, data);
        delete keep.csrf_token;
        if (data.owner !== owner) {
          owner = data.owner;
          opened = null;
          try { localStorage.setItem(OWNER, owner); } catch (error) { /* the page still works */ }
        }
        return put("meta", keep, "snapshot").then(forgetOthers).then(function () { return keep; });
      });
    }).catch(function () { return null; });
  }

  // --- the queue ----------------------------------------------------------------------------------

  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function queue() {
    return all("queue").then(function (items) {
      return items.sort(function (a, b) { return a.seq - b.seq; });
    }).catch(function () { return []; });
  }

  function enqueue(item) {
    return get("meta", "seq").then(function (seq) {
      item.seq = (seq || 0) + 1;
      return put("meta", item.seq, "seq");
    }).then(function () { return put("queue", item); });
  }

  function isWrongCode(item) { return item.kind === "wrong_code"; }

  function send(item, token) {
    var body = isWrongCode(item)
      ? {kind: "wrong_code", client_id: item.client_id, pickup_id: item.pickup_id, tried_at: item.queued_at}
      : {client_id: item.client_id, pickup_id: item.pickup_id, code: item.code,
        partial: item.partial, lines: item.lines, collected: item.collected, amount: item.amount,
        queued_at: item.queued_at};
    return fetch(box.getAttribute("data-replay"), {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token},
      body: JSON.stringify(body)}).then(function (response) {
      if (isJson(response)) { return response.json(); }
      return response.status === 400 ? "token" : null;  // a stale token: ask for a fresh one once
    }).catch(function () { return null; });
  }

  var replaying = null;
  /* Send the queued hand-overs and wrong codes in the order they were queued; stop at the first
   * that cannot go. */
  function replay() {
    if (replaying) { return replaying; }
    replaying = queue().then(function (items) {
      var waiting = items.filter(function (item) { return item.state === "queued"; });
      return sync().then(function (data) {
        if (!data || !waiting.length) { return data; }
        var chain = Promise.resolve(true);
        waiting.forEach(function (item) {
          chain = chain.then(function (going) {
            if (!going) { return false; }
            return send(item, csrf).then(function (answer) {
              if (answer === "token") {
                return sync().then(function (fresh) { return fresh ? send(item, csrf) : null; });
              }
              return answer;
            }).then(function (answer) {
              if (!answer || answer === "token" || !answer.outcome) { return false; }
              item.state = isWrongCode(item) ? "counted" : answer.confirmed ? "confirmed" : "refused";
              item.locked = !!answer.locked;
              item.outcome = answer.outcome;
              item.message = answer.message;
              item.advice = answer.advice;
              item.answered_at = new Date().toISOString();
              delete item.code;  // the server has it; nothing to check again
              return put("queue", item).then(function () { return true; });
            });
          });
        });
        return chain.then(sync);
      });
    }).then(function (result) { replaying = null; return result; },
            function () { replaying = null; return null; });
    return replaying;
  }

  /* Forget answers older than a day. */
  function prune() {
    var old = Date.now() - 24 * 3600 * 1000;
    return queue().then(function (items) {
      return Promise.all(items.filter(function (item) {
        return item.state !== "queued" && Date.parse(item.answered_at || item.queued_at) < old;
      }).map(function (item) { return remove("queue", item.client_id); }));
    });
  }

  // --- checking a code here -----------------------------------------------------------------------

  function normalize(code) { return String(code || "").toUpperCase().replace(/[^\p{L}\p{N}]/gu, ""); }

  function codeHash(code, key, rounds) {
    var encoder = new TextEncoder();
    return crypto.subtle.importKey("raw", encoder.encode(normalize(code)), "PBKDF2", false, ["deriveBits"])
      .then(function (material) {
        return crypto.subtle.deriveBits({name: "PBKDF2", hash: "SHA-256", salt: encoder.encode(key),
          iterations: rounds}, material, 256);
      }).then(function (bits) {
        return Array.prototype.map.call(new Uint8Array(bits), function (b) {
          return ("0" + b.toString(16)).slice(-2);
        }).join("");
      });
  }

  /* The wrong tries of a pickup (id 0: the look-up page's, of the device as a whole). After each
   * refresh the server's count is the device's, plus the wrong codes queued here and not sent yet;
   * the server's lock is the device's too. */
  function triesOf(id, pickup, snap) {
    return Promise.all([get("tries", id), queue()]).then(function (found) {
      var tries = found[0] || {pickup_id: id, count: 0, locked_until: 0};
      if (pickup && snap && tries.synced_at !== snap.synced_at) {
        var waiting = found[1].filter(function (item) {
          return isWrongCode(item) && item.pickup_id === id && item.state === "queued";
        }).length;
        tries.count = (pickup.failed_tries || 0) + waiting;
        tries.synced_at = snap.synced_at;
      }
      tries.locked_until = Math.max(tries.locked_until || 0, serverLock(pickup));
      tries.locked = tries.locked_until > Date.now();
      return tries;
    });
  }

  function serverLock(pickup) { return pickup && pickup.locked_until ? Date.parse(pickup.locked_until) : 0; }

  /* Count a wrong code, and queue it for the server when it was typed for a pickup; return the
   * tries left (0: locked now). What was typed is not kept. */
  function wrongCode(tries, maxTries, pickup) {
    tries.count += 1;
    var left = maxTries - tries.count;
    if (left <= 0) {
      tries.locked_until = Date.now() + LOCK_MS;
      tries.count = 0;
      left = 0;
    }
    delete tries.locked;
    return put("tries", tries).then(function () {
      if (!pickup) { return null; }
      return enqueue({client_id: newId(), kind: "wrong_code", pickup_id: pickup.id, number: pickup.number,
        staff: owner, queued_at: new Date().toISOString(), state: "queued"});
    }).then(function () {
      if (pickup && navigator.onLine) { replay().then(showStatus); }
      return left;
    });
  }

  /* When the pickup is locked (here or on the server, as of the last refresh), else 0. */
  function lockedUntil(pickup, tries) {
    var until = Math.max(serverLock(pickup), tries && tries.locked_until || 0);
    return until > Date.now() ? until : 0;
  }

  function clock(moment) {
    return new Date(moment).toLocaleTimeString(document.documentElement.lang || "vi",
      {hour: "2-digit", minute: "2-digit", timeZone: "Asia/Ho_Chi_Minh"});
  }

  // --- drawing the offline pages ------------------------------------------------------------------

  function badge(text, colour) { return el("span", {"class": "badge text-bg-" + colour, text: text}); }

  /* The last hand-over queued for the pickup (wrong codes aside). */
  function stateOf(items, pickupId) {
    var mine = items.filter(function (item) { return item.pickup_id === pickupId && !isWrongCode(item); });
    return mine.length ? mine[mine.length - 1] : null;
  }

  function stateBadge(item) {
    if (!item) { return null; }
    var colours = {queued: "warning", confirmed: "success", refused: "danger"};
    return badge(words[item.state], colours[item.state]);
  }

  function alertBox(kind, text) {
    return el("div", {"class": "alert alert-" + kind, role: kind === "danger" ? "alert" : "status", text: text});
  }

  var locks = {};  // the device's wrong tries by pickup id, read when a page is drawn

  function draw() {
    if (!view) { return Promise.resolve(); }
    return Promise.all([today(), queue(), all("tries").catch(function () { return []; })]).then(function (found) {
      var snap = found[0], items = found[1];
      locks = {};
      found[2].forEach(function (tries) { locks[tries.pickup_id] = tries; });
      view.textContent = "";
      var path = location.pathname;
      var scope = box.getAttribute("data-scope");
      var pickupMatch = path.match(/\/pickups\/(\d+)\/?$/);
      if (!navigator.onLine) { view.appendChild(alertBox("warning", words.offline_note)); }
      if (path === scope || path === scope.replace(/\/$/, "")) {
        drawList(snap, items);
      } else if (pickupMatch) {
        drawPickup(snap, items, parseInt(pickupMatch[1], 10));
      } else if (path === box.getAttribute("data-lookup")) {
        drawLookup(snap, items);
      } else {
        view.appendChild(alertBox("info", words.needs_network));
        view.appendChild(el("p", {}, [el("a", {href: scope, text: words.nav_list})]));
        view.appendChild(el("p", {}, [el("a", {href: box.getAttribute("data-lookup"), text: words.nav_lookup})]));
      }
    });
  }

  function drawList(snap, items) {
    view.appendChild(el("h1", {"class": "h3", text: words.list_title}));
    if (!snap) { view.appendChild(alertBox("secondary", words.never)); return; }
    if (!snap.pickups.length) { view.appendChild(el("p", {"class": "text-body-secondary", text: words.list_empty})); }
    var list = el("ul", {"class": "list-unstyled counter-list"});
    snap.pickups.forEach(function (pickup) {
      var item = stateOf(items, pickup.id);
      var lines = pickup.lines.map(function (line) { return line.quantity + " × " + line.name; }).join(", ");
      list.appendChild(el("li", {"class": "card mb-2", "data-pickup": String(pickup.id)}, [
        el("div", {"class": "card-body py-2"}, [
          el("p", {"class": "mb-1 d-flex flex-wrap gap-2 align-items-center"}, [
            el("a", {href: pickup.url, "class": "fw-semibold tap-link", text: say(words.order, {number: pickup.number})}),
            badge(pickup.status_text, pickup.status === "ready" ? "success" : "warning"),
            stateBadge(item),
            lockedUntil(pickup, locks[pickup.id]) ? badge(words.locked_badge, "danger") : null
          ]),
          el("p", {"class": "mb-1", text: pickup.name + " · " + pickup.phone}),
          el("p", {"class": "mb-0 small text-body-secondary", text: lines}),
          pickup.day_text ? el("p", {"class": "mb-0 small", text: say(words.day, {day: pickup.day_text})}) : null,
          pickup.due_text ? el("p", {"class": "mb-0 fw-semibold", text: words.collect + " " + pickup.due_text}) : null
        ])
      ]));
    });
    view.appendChild(list);
    if (snap.check_ins && snap.check_ins.length) {  // experiences: filled once they exist
      view.appendChild(el("h2", {"class": "h5", text: words.check_ins}));
      var visits = el("ul", {"class": "list-unstyled"});
      snap.check_ins.forEach(function (visit) { visits.appendChild(el("li", {text: visit.name || ""})); });
      view.appendChild(visits);
    }
  }

  function drawPickup(snap, items, id) {
    var pickup = snap && snap.pickups.filter(function (p) { return p.id === id; })[0];
    if (!pickup) {
      view.appendChild(alertBox("secondary", snap ? words.not_here : words.never));
      view.appendChild(el("p", {}, [el("a", {href: box.getAttribute("data-scope"), text: words.nav_list})]));
      return;
    }
    view.appendChild(pickupCard(snap, items, pickup, null));
  }

  function pickupCard(snap, items, pickup, knownCode) {
    var item = stateOf(items, pickup.id);
    var card = el("section", {"class": "card mb-3", "data-pickup": String(pickup.id)});
    var body = el("div", {"class": "card-body"});
    card.appendChild(body);
    body.appendChild(el("h1", {"class": "h4 d-flex flex-wrap gap-2 align-items-center"}, [
      document.createTextNode(say(words.order, {number: pickup.number})),
      badge(pickup.status_text, pickup.status === "ready" ? "success" : "warning"), stateBadge(item),
      lockedUntil(pickup, locks[pickup.id]) ? badge(words.locked_badge, "danger") : null
    ]));
    body.appendChild(el("p", {"class": "fs-5 mb-2"}, [
      document.createTextNode(pickup.name + " · "),
      el("a", {"class": "tap-link", href: "tel:" + pickup.phone.replace(/\s/g, ""), text: pickup.phone})
    ]));
    var received = pickup.lines.filter(function (line) { return line.status === "received"; });
    var missing = pickup.lines.filter(function (line) { return line.status !== "received"; });
    var lineList = function (lines) {
      return el("ul", {}, lines.map(function (line) {
        return el("li", {text: line.quantity + " × " + line.name + " (" + line.unit + ") — " + line.status_text});
      }));
    };
    if (pickup.kind === "partial") {
      body.appendChild(el("h2", {"class": "h5", text: words.partial_title}));
      body.appendChild(el("p", {"class": "mb-1", text: words.partial_lines}));
      body.appendChild(lineList(received));
      body.appendChild(el("p", {"class": "mb-1", text: words.partial_missing}));
      body.appendChild(lineList(missing));
    } else {
      body.appendChild(lineList(pickup.lines));
    }
    var result = el("div", {"data-counter-result": "", "aria-live": "polite"});
    if (item && item.state !== "refused") {
      result.appendChild(alertBox(item.state === "queued" ? "warning" : "success",
        item.state === "queued" ? say(words.queued_now, {number: pickup.number}) : (item.message || words.confirmed)));
      body.appendChild(result);
      return card;
    }
    body.appendChild(result);
    if (!pickup.kind) { result.appendChild(alertBox("secondary", words.not_handable)); return card; }
    var until = lockedUntil(pickup, locks[pickup.id]);
    if (until) {  // as the counter's page does: no form until the lock ends
      result.appendChild(alertBox("danger", say(words.locked_until, {time: clock(until)})));
      return card;
    }
    body.appendChild(handOverForm(snap, pickup, result, knownCode));
    return card;
  }

  function handOverForm(snap, pickup, result, knownCode) {
    var form = el("form", {"class": "counter-hand-over", novalidate: ""});
    var fieldId = "counter-code-" + pickup.id;
    var input = el("input", {id: fieldId, name: "code", "class": "form-control form-control-lg font-monospace text-uppercase code-input",
      autocomplete: "off", autocapitalize: "characters", spellcheck: "false", placeholder: "ABCD-EFGH", maxlength: "20"});
    if (knownCode) {
      input.value = knownCode;
      form.appendChild(el("input", {type: "hidden", name: "code", value: knownCode}));
    } else {
      form.appendChild(el("div", {"class": "mb-3"}, [
        el("label", {"class": "form-label", "for": fieldId, text: words.code_label}), input,
        el("div", {"class": "form-text", text: words.code_help})
      ]));
    }
    var agree = null;
    if (pickup.kind === "partial") {
      agree = el("input", {type: "checkbox", "class": "form-check-input", id: "counter-agree-" + pickup.id});
      form.appendChild(el("div", {"class": "form-check mb-3"}, [agree,
        el("label", {"class": "form-check-label", "for": "counter-agree-" + pickup.id, text: words.partial_agree})]));
    }
    var buttons = el("div", {"class": "d-grid gap-2"});
    if (pickup.due) {
      form.appendChild(el("p", {"class": "mb-1", text: words.collect}));
      form.appendChild(el("p", {"class": "fs-3 fw-bold mb-2", "data-due": String(pickup.due), text: pickup.due_text}));
      buttons.appendChild(el("button", {"class": "btn btn-success btn-big", type: "submit", value: "cash",
        text: say(words.cash, {amount: pickup.due_text})}));
      buttons.appendChild(el("button", {"class": "btn btn-outline-success btn-big", type: "submit", value: "transfer",
        text: say(words.transfer, {amount: pickup.due_text})}));
    } else {
      buttons.appendChild(el("button", {"class": "btn btn-success btn-big", type: "submit", value: "",
        text: pickup.kind === "partial" ? words.partial_button : words.check_and_hand_over}));
    }
    form.appendChild(buttons);
    if (pickup.due) { form.appendChild(el("p", {"class": "form-text mb-0", text: words.collect_note})); }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var collected = event.submitter ? event.submitter.value || null : null;
      var code = knownCode || input.value;
      result.textContent = "";
      if (agree && !agree.checked) { result.appendChild(alertBox("danger", words.partial_need_agree)); return; }
      handOver(snap, pickup, code, collected).then(function (answer) {
        if (answer.queued) { draw(); showStatus(); return; }
        result.appendChild(alertBox("danger", answer.message));
        if (!knownCode) { input.focus(); input.select(); }
      });
    });
    return form;
  }

  /* Check the code here and queue the hand-over; answer {queued} or {message}. */
  function handOver(snap, pickup, code, collected) {
    if (normalize(code).length !== 8) { return Promise.resolve({message: words.code_format}); }
    return queue().then(function (items) {
      var item = stateOf(items, pickup.id);
      if (item && item.state !== "refused") { return {message: words.already_queued}; }
      if (!pickup.code_hash) { return {message: words.no_check}; }
      return triesOf(pickup.id, pickup, snap).then(function (tries) {
        if (tries.locked) { return {message: words.locked}; }
        return codeHash(code, snap.key, snap.rounds).then(function (hash) {
          if (hash !== pickup.code_hash) {
            return wrongCode(tries, snap.max_tries, pickup).then(function (left) {
              return {message: left ? say(words.wrong_code, {left: left}) : words.locked};
            });
          }
          var given = pickup.lines.filter(function (line) { return line.status === "received"; })
            .map(function (line) { return line.id; });
          tries.count = 0;
          return put("tries", tries).then(function () {
            return enqueue({client_id: newId(), pickup_id: pickup.id, number: pickup.number,
              code: code, partial: pickup.kind === "partial", lines: pickup.kind === "partial" ? given : [],
              collected: pickup.due ? collected : null, amount: pickup.due ? pickup.due : null,
              queued_at: new Date().toISOString(), state: "queued"});
          }).then(function () {
            if (navigator.onLine) { replay().then(showStatus); }
            return {queued: true};
          });
        });
      });
    });
  }

  function drawLookup(snap, items) {
    view.appendChild(el("h1", {"class": "h3", text: words.lookup_title}));
    if (!snap) { view.appendChild(alertBox("secondary", words.never)); return; }
    var found = el("div", {"data-counter-found": ""});
    var result = el("div", {"aria-live": "polite"});
    var input = el("input", {id: "counter-lookup-code", name: "code", "class": "form-control form-control-lg font-monospace text-uppercase code-input",
      autocomplete: "off", autocapitalize: "characters", spellcheck: "false", placeholder: "ABCD-EFGH", maxlength: "20"});
    var form = el("form", {id: "counter-lookup-form", "class": "mb-4", novalidate: ""}, [
      el("div", {"class": "mb-3"}, [el("label", {"class": "form-label", "for": "counter-lookup-code", text: words.code_label}), input,
        el("div", {"class": "form-text", text: words.code_help})]),
      el("button", {"class": "btn btn-success btn-big", type: "submit", text: words.lookup_button})
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      result.textContent = "";
      found.textContent = "";
      var code = input.value;
      if (normalize(code).length !== 8) { result.appendChild(alertBox("danger", words.code_format)); return; }
      triesOf(0, null).then(function (tries) {  // wrong look-ups count on the device as a whole
        if (tries.locked) { result.appendChild(alertBox("danger", words.locked)); return null; }
        return codeHash(code, snap.key, snap.rounds).then(function (hash) {
          var pickup = snap.pickups.filter(function (p) { return p.code_hash === hash && p.kind; })[0];
          if (pickup && serverLock(pickup) > Date.now()) {  // the right code of a pickup locked on the server
            result.appendChild(alertBox("danger", say(words.locked_until, {time: clock(serverLock(pickup))})));
            return null;
          }
          if (!pickup) {
            return wrongCode(tries, snap.max_tries).then(function (left) {
              result.appendChild(alertBox("danger", left ? words.lookup_none : words.locked));
            });
          }
          tries.count = 0;
          return put("tries", tries).then(function () {
            found.appendChild(pickupCard(snap, items, pickup, normalize(code)));
          });
        });
      });
    });
    view.appendChild(found);
    view.appendChild(result);
    view.appendChild(form);
  }

  // --- the status line and the queue on every counter page ----------------------------------------

  function showStatus() {
    return Promise.all([get("meta", "snapshot").catch(function () { return null; }), queue()]).then(function (found) {
      var snap = found[0], items = found[1];
      var line = box.querySelector("[data-counter-line]");
      var list = box.querySelector("[data-counter-queue]");
      var text;
      if (signedOut) { text = words.signed_out; }
      else if (!snap) { text = navigator.onLine ? words.syncing : words.never; }
      else if (snap.day !== hanoiToday()) { text = navigator.onLine ? words.syncing : words.other_day; }
      else { text = say(navigator.onLine ? words.synced : words.offline, {time: snap.synced_text}); }
      line.textContent = text;
      box.classList.toggle("alert-warning", !navigator.onLine);
      box.classList.toggle("alert-light", navigator.onLine);
      list.textContent = "";
      items.forEach(function (item) {
        var colour = {queued: "warning", confirmed: "success", refused: "danger", counted: "secondary"}[item.state];
        if (isWrongCode(item)) {  // one short line: the order, when, sent or not (a lock it set, said)
          list.appendChild(el("li", {"class": "counter-queue-item counter-wrong-code mt-1 small",
            "data-client-id": item.client_id, "data-state": item.state, "data-kind": "wrong_code"}, [
            el("strong", {text: say(words.order, {number: item.number}) + " "}),
            document.createTextNode(say(words.wrong_item, {time: clock(item.queued_at)}) + " "),
            badge(words[item.state], colour),
            item.locked && item.message ? el("span", {"class": "d-block", text: item.message}) : null
          ]));
          return;
        }
        list.appendChild(el("li", {"class": "counter-queue-item mt-1", "data-client-id": item.client_id,
          "data-state": item.state}, [
          el("strong", {text: say(words.order, {number: item.number}) + " "}), badge(words[item.state], colour),
          item.message ? el("span", {"class": "d-block", text: item.message}) : null,
          item.advice ? el("span", {"class": "d-block fw-semibold", text: item.advice}) : null
        ]));
      });
      list.hidden = !items.length;
      box.hidden = false;
      if (offlinePage && navigator.onLine && !box.querySelector("[data-back-online]")) {
        box.appendChild(el("p", {"class": "mb-0 mt-2", "data-back-online": ""}, [
          document.createTextNode(words.back_online + " "),
          el("a", {href: location.pathname, text: words.reload})
        ]));
      }
    }).catch(function () {});
  }

  // --- start --------------------------------------------------------------------------------------

  if ("serviceWorker" in navigator && box.getAttribute("data-sw")) {
    navigator.serviceWorker.register(box.getAttribute("data-sw"), {scope: box.getAttribute("data-scope")})
      .catch(function () { /* the server pages work without it */ });
  }

  // A page loaded before the network went: its forms cannot reach the server, so open the page
  // again (the worker answers with the offline page) instead of the browser's error page.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (navigator.onLine || !form || form.closest("[data-offline-page]") || form.method.toLowerCase() !== "post") { return; }
    event.preventDefault();
    location.reload();
  }, true);

  // Signing out: send what waits if possible, say what would be lost, then wipe the device.
  Array.prototype.forEach.call(document.querySelectorAll("form[action$='/auth/logout']"), function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      replay().then(queue).then(function (items) {
        var waiting = items.filter(function (item) { return item.state === "queued" && !isWrongCode(item); }).length;
        if (waiting && !window.confirm(say(words.unsent, {n: waiting}))) { return; }
        return wipeAll().then(function () { HTMLFormElement.prototype.submit.call(form); });
      });
    });
  });

  window.addEventListener("online", function () { replay().then(showStatus).then(draw); });
  window.addEventListener("offline", showStatus);
  setInterval(function () { if (navigator.onLine) { sync().then(showStatus); } }, REFRESH_MS);

  if (!owner) { box.hidden = true; return; }
  prune().catch(function () {}).then(draw).then(showStatus).then(function () {
    return navigator.onLine ? replay() : null;
  }).then(showStatus).then(function () { return offlinePage && navigator.onLine ? draw() : null; });

  window.ocopCounter = {sync: sync, replay: replay, queue: queue, wipe: wipeAll};  // for the tests
})();
