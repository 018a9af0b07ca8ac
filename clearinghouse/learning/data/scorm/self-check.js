/* Ecosystem services: a self-check. A SCORM 1.2 SCO: it finds the LMS's API in a parent
   window, resumes where the learner left it (cmi.core.lesson_location, cmi.suspend_data), and
   reports the score and "passed" or "failed" against a mastery score of 60 %. */
(function () {
  "use strict";
  var ANSWERS = { q1: "b", q2: "a", q3: "c" };
  var FEEDBACK = {
    q1: "Pollination is a regulating service: it regulates how plants reproduce.",
    q2: "Protection from storms is a regulating service.",
    q3: "Places that matter to people's culture and beliefs are cultural services."
  };
  var MASTERY = 60;

  function findApi(win) {
    for (var depth = 0; win && depth < 10; depth += 1) {
      if (win.API) { return win.API; }
      if (win.parent === win) { break; }
      win = win.parent;
    }
    return null;
  }
  var api = findApi(window);
  var started = api ? api.LMSInitialize("") === "true" : false;
  // Whenever the learner leaves, they come back to where they were.
  if (started) { api.LMSSetValue("cmi.core.exit", "suspend"); }

  function get(name) { return started ? api.LMSGetValue(name) : ""; }
  function set(name, value) { if (started) { api.LMSSetValue(name, value); } }

  function show(number) {
    document.querySelectorAll(".page").forEach(function (page) {
      page.hidden = page.id !== "page-" + number;
    });
    set("cmi.core.lesson_location", "page-" + number);
    api && started && api.LMSCommit("");
    var heading = document.querySelector("#page-" + number + " h1");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
  }

  function saved() {
    var answers = {};
    (get("cmi.suspend_data") || "").split(";").forEach(function (pair) {
      var parts = pair.split("=");
      if (parts.length === 2 && ANSWERS[parts[0]]) { answers[parts[0]] = parts[1]; }
    });
    return answers;
  }

  function restore(answers) {
    Object.keys(answers).forEach(function (name) {
      var input = document.querySelector("input[name=" + name + "][value=" + answers[name] + "]");
      if (input) { input.checked = true; }
    });
  }

  function mark(answers) {
    var right = 0;
    var list = document.getElementById("feedback");
    list.textContent = "";
    Object.keys(ANSWERS).forEach(function (name) {
      var item = document.createElement("li");
      var good = answers[name] === ANSWERS[name];
      right += good ? 1 : 0;
      item.className = good ? "right" : "wrong";
      item.textContent = (good ? "Right. " : "Not quite. ") + FEEDBACK[name];
      list.appendChild(item);
    });
    var score = Math.round((100 * right) / Object.keys(ANSWERS).length);
    var passed = score >= MASTERY;
    document.getElementById("result").textContent =
      "You answered " + right + " of 3 correctly (" + score + " %). " +
      (passed ? "You passed the self-check." : "Read the first page again and try once more.");
    set("cmi.core.score.min", "0");
    set("cmi.core.score.max", "100");
    set("cmi.core.score.raw", String(score));
    set("cmi.core.lesson_status", passed ? "passed" : "failed");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-go]").forEach(function (button) {
      button.addEventListener("click", function () { show(button.getAttribute("data-go")); });
    });
    var form = document.getElementById("questions");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var answers = {};
      Object.keys(ANSWERS).forEach(function (name) {
        var checked = form.querySelector("input[name=" + name + "]:checked");
        if (checked) { answers[name] = checked.value; }
      });
      set("cmi.suspend_data", Object.keys(answers).map(function (name) {
        return name + "=" + answers[name];
      }).join(";"));
      mark(answers);
      show(3);
    });
    var answers = saved();
    restore(answers);
    if (get("cmi.core.lesson_status") === "not attempted") {
      set("cmi.core.lesson_status", "incomplete");
    }
    var location = get("cmi.core.lesson_location");
    if (location === "page-3" && Object.keys(answers).length) {
      mark(answers);
      show(3);
    } else if (location === "page-2") {
      show(2);
    }
  });

  window.addEventListener("pagehide", function () {
    if (started) {
      api.LMSFinish("");
      started = false;
    }
  });
})();
