// pufa: optional enhancements. Every page works without this file.
//  1. Reading preferences (大字, 高对比度) switch without a reload: the
//     links go to the server's prefs endpoint; here we toggle the class on
//     <html> and write the same cookie the server would.
//  2. 朗读: read an article aloud with the browser's speech synthesis.
//  3. Search page: keep the query in the box.
(function () {
  "use strict";
  var doc = document;
  var root = doc.documentElement;
  var prefs = {
    size: { cookie: "pf_size", on: "large", cls: "pf-large" },
    contrast: { cookie: "pf_contrast", on: "high", cls: "pf-contrast" }
  };

  function cookiePath() {
    var bar = doc.querySelector("[data-pf-root]");
    return (bar && bar.getAttribute("data-pf-root")) || "/";
  }

  function readCookie(name) {
    var parts = doc.cookie ? doc.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) return parts[i].slice(eq + 1);
    }
    return "";
  }

  // A page served without the server (a plain web server or a CDN) does
  // not get the classes from the cookie; apply them here.
  Object.keys(prefs).forEach(function (k) {
    var p = prefs[k];
    if (readCookie(p.cookie) === p.on) root.classList.add(p.cls);
  });

  doc.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[data-pf-pref]");
    if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    var p = prefs[a.getAttribute("data-pf-pref")];
    if (!p) return;
    e.preventDefault();
    var value = a.getAttribute("data-pf-value");
    var on = value === p.on;
    root.classList.toggle(p.cls, on);
    doc.cookie = p.cookie + "=" + value + "; Path=" + cookiePath() + "; Max-Age=31536000; SameSite=Lax";
    // The link just used is now hidden; move focus to its counterpart.
    var other = doc.querySelector('a[data-pf-pref="' + a.getAttribute("data-pf-pref") + '"]:not([data-pf-value="' + value + '"])');
    if (other) other.focus();
  });

  // Read aloud. Long texts are spoken paragraph by paragraph: some
  // browsers stop a single long utterance after about fifteen seconds.
  var synth = window.speechSynthesis;
  if (synth && window.SpeechSynthesisUtterance) {
    var buttons = doc.querySelectorAll("[data-pf-read]");
    for (var i = 0; i < buttons.length; i++) setupRead(buttons[i]);
  }

  function setupRead(btn) {
    var target = doc.getElementById(btn.getAttribute("data-pf-read"));
    if (!target) return;
    var wrap = btn.closest("[data-pf-read-wrap]") || btn;
    wrap.hidden = false;
    var startLabel = btn.textContent;
    var stopLabel = btn.getAttribute("data-pf-label-stop");
    var reading = false;

    function reset() {
      reading = false;
      btn.textContent = startLabel;
    }

    function chunks() {
      var out = [];
      var blocks = target.querySelectorAll("h1, h2, h3, h4, p, li, dt, dd, th, td");
      for (var j = 0; j < blocks.length; j++) {
        var el = blocks[j];
        if (el.closest("[data-pf-read-wrap], nav, [hidden]")) continue;
        if (el.querySelector("p, li")) continue;
        var text = el.textContent.replace(/\s+/g, " ").trim();
        while (text.length > 180) {
          var cut = Math.max(text.lastIndexOf("。", 180), text.lastIndexOf("，", 180));
          if (cut < 40) cut = 180;
          out.push(text.slice(0, cut + 1));
          text = text.slice(cut + 1);
        }
        if (text) out.push(text);
      }
      return out;
    }

    btn.addEventListener("click", function () {
      if (reading) {
        synth.cancel();
        reset();
        return;
      }
      synth.cancel();
      var parts = chunks();
      if (!parts.length) return;
      reading = true;
      btn.textContent = stopLabel;
      parts.forEach(function (text, n) {
        var u = new SpeechSynthesisUtterance(text);
        u.lang = "zh-CN";
        u.rate = 0.9;
        if (n === parts.length - 1) u.onend = reset;
        u.onerror = reset;
        synth.speak(u);
      });
    });
    window.addEventListener("pagehide", function () { synth.cancel(); });
  }

  // Search page: show the query the results are for.
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) {
    var inputs = doc.querySelectorAll('.pf-search--page input[name="q"]');
    for (var k = 0; k < inputs.length; k++) if (!inputs[k].value) inputs[k].value = q;
  }
})();
