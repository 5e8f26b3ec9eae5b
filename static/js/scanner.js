/* Hand-over by camera: read the shopper's pickup QR and put its code in the form.
 *
 * Progressive enhancement: the code field and its button work without this file. Where the
 * browser has a camera API, a "scan" button appears; the QR decoder (vendored jsQR) is fetched
 * only when scanning starts. A found code fills the field named by data-target and submits
 * the form named by data-form. Messages come from data-msg-* attributes, in the page's language.
 */
(function () {
  "use strict";

  // Pickup codes: 8 of these characters, shown as ABCD-EFGH (storefront/orders/codes.py).
  var CODE = /(?:^|[^A-Z0-9])([A-HJKMNP-Z2-9]{4})-?([A-HJKMNP-Z2-9]{4})(?![A-Z0-9])/;

  /* Return the pickup code a QR's text holds (a bare code or a link carrying one), or null. */
  function extractCode(text) {
    var match = CODE.exec(String(text || "").toUpperCase());
    return match ? match[1] + "-" + match[2] : null;
  }

  /* Decode an ImageData with jsQR; return the pickup code, or null. */
  function decodeImageData(image) {
    if (typeof window.jsQR !== "function") { return null; }
    var found = window.jsQR(image.data, image.width, image.height, {inversionAttempts: "attemptBoth"});
    return found ? extractCode(found.data) : null;
  }

  var decoderLoading = null;
  function loadDecoder(src) {
    if (typeof window.jsQR === "function") { return Promise.resolve(); }
    if (!decoderLoading) {
      decoderLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = resolve;
        script.onerror = function () { decoderLoading = null; reject(new Error("decoder")); };
        document.head.appendChild(script);
      });
    }
    return decoderLoading;
  }

  function Scanner(box) {
    this.box = box;
    this.start = box.querySelector("[data-scan-start]");
    this.stopButton = box.querySelector("[data-scan-stop]");
    this.view = box.querySelector("[data-scan-view]");
    this.video = box.querySelector("video");
    this.status = box.querySelector("[data-scan-status]");
    this.canvas = document.createElement("canvas");
    this.stream = null;
    this.start.hidden = false;
    this.start.addEventListener("click", this.begin.bind(this));
    this.stopButton.addEventListener("click", this.stop.bind(this));
  }

  Scanner.prototype.say = function (key, code) {
    var text = this.box.getAttribute("data-msg-" + key) || "";
    this.status.textContent = code ? text.replace("%(code)s", code) : text;
  };

  Scanner.prototype.begin = function () {
    var self = this;
    self.say("starting");
    loadDecoder(self.box.getAttribute("data-jsqr")).then(function () {
      return navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false});
    }).then(function (stream) {
      self.stream = stream;
      self.video.srcObject = stream;
      self.view.hidden = false;
      self.stopButton.hidden = false;
      self.start.hidden = true;
      return self.video.play();
    }).then(function () {
      self.say("looking");
      self.tick();
    }).catch(function (error) {
      self.stop();
      self.say(error && error.name === "NotAllowedError" ? "denied" : "nocamera");
    });
  };

  Scanner.prototype.tick = function () {
    var self = this;
    if (!self.stream) { return; }
    var video = self.video;
    if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth) {
      // Decode a reduced copy: a QR held at the counter fills much of the frame.
      var scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight));
      var width = Math.round(video.videoWidth * scale), height = Math.round(video.videoHeight * scale);
      self.canvas.width = width;
      self.canvas.height = height;
      var context = self.canvas.getContext("2d", {willReadFrequently: true});
      context.drawImage(video, 0, 0, width, height);
      var code = decodeImageData(context.getImageData(0, 0, width, height));
      if (code) { self.found(code); return; }
    }
    window.requestAnimationFrame(self.tick.bind(self));
  };

  Scanner.prototype.found = function (code) {
    this.stop();
    this.say("found", code);
    var input = document.getElementById(this.box.getAttribute("data-target"));
    var form = document.getElementById(this.box.getAttribute("data-form"));
    if (input) { input.value = code; }
    if (form) {
      if (typeof form.requestSubmit === "function") { form.requestSubmit(); } else { form.submit(); }
    }
  };

  Scanner.prototype.stop = function () {
    if (this.stream) {
      this.stream.getTracks().forEach(function (track) { track.stop(); });
      this.stream = null;
    }
    this.video.srcObject = null;
    this.view.hidden = true;
    this.stopButton.hidden = true;
    this.start.hidden = false;
  };

  window.OcopScanner = {extractCode: extractCode, decodeImageData: decodeImageData, loadDecoder: loadDecoder};

  function init() {
    if (!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) { return; }
    document.querySelectorAll("[data-scanner]").forEach(function (box) { box.scanner = new Scanner(box); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
