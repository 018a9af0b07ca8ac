/* The offline course package: marks quizzes with the rules of clearinghouse/learning/grading.py,
   keeps what the learner did in localStorage, and writes the signed progress file the learner
   uploads later. Plain JavaScript, no network: pages are opened from the file system. */
(function (root) {
  "use strict";

  var FILE_FORMAT = "clearinghouse-offline-progress";
  var FILE_VERSION = 1;
  // The characters Python's str.split() splits on.
  var SPACES = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

  /* grading.normalised: without case, accents or extra spaces. */
  function casefold(text) {
    return text.toLowerCase().replace(/\u00df/g, "ss").replace(/\u03c2/g, "\u03c3").replace(/\u017f/g, "s");
  }

  function normalised(text) {
    var stripped = casefold(text).normalize("NFKD").replace(/\p{Mn}/gu, "");
    return stripped.split(SPACES).filter(function (part) { return part !== ""; }).join(" ");
  }

  function isPlainObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  /* grading.is_right, for a question as the package holds it (offline.py _question). */
  function isRight(question, answer) {
    var kind = question.kind;
    if (kind === "single") {
      var right = (question.choices || []).filter(function (c) { return c.correct === true; });
      return typeof answer === "string" && right.length === 1 && right[0].key === answer;
    }
    if (kind === "multiple") {
      if (!Array.isArray(answer) || !answer.every(function (a) { return typeof a === "string"; })) return false;
      var wanted = {};
      (question.choices || []).forEach(function (c) { if (c.correct === true) wanted[c.key] = true; });
      var given = {};
      answer.forEach(function (a) { given[a] = true; });
      var wantedKeys = Object.keys(wanted), givenKeys = Object.keys(given);
      return wantedKeys.length === givenKeys.length && givenKeys.every(function (k) { return wanted[k] === true; });
    }
    if (kind === "true_false") {
      return typeof answer === "boolean" && typeof question.answer === "boolean" && answer === question.answer;
    }
    if (kind === "short") {
      if (typeof answer !== "string" || answer.trim() === "") return false;
      var text = normalised(answer);
      var accepted = question.accepted || {};
      return Object.keys(accepted).some(function (code) {
        return (accepted[code] || []).some(function (a) { return typeof a === "string" && normalised(a) === text; });
      });
    }
    if (kind === "matching") {
      var pairs = (question.pairs || []).map(function (p) { return p.key; });
      return isPlainObject(answer) && Object.keys(answer).length === pairs.length &&
        pairs.every(function (k) { return Object.prototype.hasOwnProperty.call(answer, k) && answer[k] === k; });
    }
    return false;
  }

  /* grading.score, in ten-thousandths (0 to 10000), rounded half up like the server. */
  function score(quiz, drawn, answers) {
    if (!drawn.length) return 0;
    var bank = {};
    quiz.questions.forEach(function (q) { bank[q.key] = q; });
    var right = drawn.filter(function (key) {
      return bank[key] && Object.prototype.hasOwnProperty.call(answers, key) && isRight(bank[key], answers[key]);
    }).length;
    return Math.floor((right * 20000 + drawn.length) / (2 * drawn.length));
  }

  function passes(quiz, scaled) {
    return scaled * 100 >= quiz.pass_mark * 10000;
  }

  function randomBelow(n) {
    if (root.crypto && root.crypto.getRandomValues) {
      var buffer = new Uint32Array(1);
      root.crypto.getRandomValues(buffer);
      return buffer[0] % n;
    }
    return Math.floor(Math.random() * n);
  }

  /* grading.draw: `draw` questions of the bank at random (all, in order, when 0). What was
     drawn is recorded with the attempt, so the server marks the same questions. */
  function draw(quiz) {
    var keys = quiz.questions.map(function (q) { return q.key; });
    if (!quiz.draw || quiz.draw >= keys.length) return keys;
    for (var i = keys.length - 1; i > 0; i--) {
      var j = randomBelow(i + 1), swap = keys[i];
      keys[i] = keys[j];
      keys[j] = swap;
    }
    return keys.slice(0, quiz.draw);
  }

  /* offline.canonical: JSON with sorted keys and no spaces. */
  function canonical(value) {
    if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
    if (isPlainObject(value)) {
      return "{" + Object.keys(value).sort().map(function (k) {
        return JSON.stringify(k) + ":" + canonical(value[k]);
      }).join(",") + "}";
    }
    return JSON.stringify(value);
  }

  function uuid() {
    var bytes = new Uint8Array(16);
    for (var i = 0; i < 16; i++) bytes[i] = randomBelow(256);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  /* The progress file: what the learner did, signed with the enrolment's key. */
  function progressFile(hmac, personal, course, entries) {
    var signed = { course: course, enrolment: personal.enrolment, entries: entries, format: FILE_FORMAT, version: FILE_VERSION };
    var file = JSON.parse(JSON.stringify(signed));
    file.signature = hmac(personal.key, canonical(signed));
    return file;
  }

  var api = {
    normalised: normalised, isRight: isRight, score: score, passes: passes, draw: draw,
    canonical: canonical, uuid: uuid, progressFile: progressFile
  };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
    return;
  }
  root.OfflinePackage = api;

  /* ---- the pages ---------------------------------------------------------------------------- */

  var COURSE = root.OFFLINE_COURSE;
  var PERSONAL = root.OFFLINE_PERSONAL || null;
  var STRINGS = COURSE.strings;
  var body = document.body;

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) { return String(values[name]); }).replace(/%%/g, "%");
  }

  function storeName() {
    return "clearinghouse-offline:" + COURSE.course + ":" + (PERSONAL ? PERSONAL.enrolment : "copy");
  }

  function load() {
    try {
      var saved = JSON.parse(root.localStorage.getItem(storeName()) || "null");
      if (saved && Array.isArray(saved.entries)) return saved;
    } catch (error) { /* no storage: nothing was kept */ }
    return { entries: [], results: {} };
  }

  function save(state) {
    try {
      root.localStorage.setItem(storeName(), JSON.stringify(state));
      return true;
    } catch (error) {
      return false;
    }
  }

  function record(entry, result) {
    if (!PERSONAL) return;
    var state = load();
    state.entries.push(entry);
    if (result) state.results[entry.id] = result;
    save(state);
  }

  function lessonOpened(key) {
    return load().entries.some(function (e) { return e.type === "lesson" && e.item === key; });
  }

  function quizPassed(key) {
    var state = load();
    return state.entries.some(function (e) {
      return e.type === "attempt" && e.item === key && state.results[e.id] && state.results[e.id].passed;
    });
  }

  function attemptsUsed(key) {
    var online = PERSONAL && PERSONAL.attempts[key] ? PERSONAL.attempts[key] : 0;
    return online + load().entries.filter(function (e) { return e.type === "attempt" && e.item === key; }).length;
  }

  function done(item) {
    return item.type === "quiz" ? quizPassed(item.key) : lessonOpened(item.key);
  }

  function home() {
    COURSE.items.forEach(function (item) {
      var row = document.querySelector('[data-item="' + item.key + '"] .status');
      if (row && PERSONAL) row.textContent = done(item) ? STRINGS.done : "";
    });
  }

  function lesson() {
    var key = body.getAttribute("data-item");
    if (!lessonOpened(key)) record({ id: uuid(), type: "lesson", item: key, at: new Date().toISOString() });
  }

  function answersOf(form, drawn, quiz) {
    var answers = {};
    drawn.forEach(function (key) {
      var question = quiz.questions.filter(function (q) { return q.key === key; })[0];
      var set = form.querySelector('[data-question="' + key + '"]');
      if (question.kind === "single" || question.kind === "true_false") {
        var picked = set.querySelector("input:checked");
        if (picked) answers[key] = question.kind === "single" ? picked.value : picked.value === "true";
      } else if (question.kind === "multiple") {
        var checked = Array.prototype.map.call(set.querySelectorAll("input:checked"), function (i) { return i.value; });
        if (checked.length) answers[key] = checked;
      } else if (question.kind === "short") {
        var typed = set.querySelector("input").value;
        if (typed.trim() !== "") answers[key] = typed;
      } else if (question.kind === "matching") {
        var matched = {};
        Array.prototype.forEach.call(set.querySelectorAll("select"), function (s) {
          if (s.value) matched[s.getAttribute("data-left")] = s.value;
        });
        if (Object.keys(matched).length) answers[key] = matched;
      }
    });
    return answers;
  }

  function quizPage() {
    var key = body.getAttribute("data-item");
    var quiz = COURSE.quizzes[key];
    var form = document.querySelector("form.quiz");
    var status = document.querySelector(".quiz-status");
    var result = document.querySelector(".quiz-result");
    var again = document.querySelector(".quiz-again");
    if (quiz.closes_at && Date.now() > Date.parse(quiz.closes_at)) {
      status.textContent = STRINGS.closed;
      return;
    }
    if (quiz.max_attempts && attemptsUsed(key) >= quiz.max_attempts) {
      status.textContent = STRINGS.no_attempts;
      return;
    }
    if (quiz.max_attempts) status.textContent = fill(STRINGS.attempts_left, { count: quiz.max_attempts - attemptsUsed(key) });
    var drawn = draw(quiz);
    var button = form.querySelector("button[type=submit]");
    drawn.forEach(function (questionKey) {
      var set = form.querySelector('[data-question="' + questionKey + '"]');
      set.hidden = false;
      set.disabled = false;
      form.insertBefore(set, button);
    });
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var answers = answersOf(form, drawn, quiz);
      var scaled = score(quiz, drawn, answers);
      var passed = passes(quiz, scaled);
      record(
        { id: uuid(), type: "attempt", item: key, drawn: drawn, answers: answers, at: new Date().toISOString() },
        { score: scaled, passed: passed }
      );
      drawn.forEach(function (questionKey) {
        var set = form.querySelector('[data-question="' + questionKey + '"]');
        var question = quiz.questions.filter(function (q) { return q.key === questionKey; })[0];
        var verdict = set.querySelector(".verdict");
        verdict.textContent = isRight(question, answers[questionKey]) ? STRINGS.right : STRINGS.wrong;
        verdict.hidden = false;
        var feedback = set.querySelector(".feedback");
        if (feedback) feedback.hidden = false;
        set.disabled = true;
      });
      button.hidden = true;
      var percent = Math.round(scaled / 100);
      result.textContent = fill(STRINGS.score, { score: percent, pass: quiz.pass_mark }) + " " +
        (passed ? STRINGS.passed : STRINGS.failed);
      var left = quiz.max_attempts ? quiz.max_attempts - attemptsUsed(key) : 1;
      status.textContent = quiz.max_attempts ? fill(STRINGS.attempts_left, { count: left }) : "";
      if (left > 0 && !passed) {
        again.textContent = STRINGS.again;
        again.hidden = false;
        again.addEventListener("click", function () { root.location.reload(); });
      }
    });
  }

  function progressPage() {
    var rows = document.querySelector(".progress-rows");
    COURSE.items.forEach(function (item) {
      if (item.type === "scorm") return;
      var row = document.createElement("tr");
      var name = document.createElement("td");
      name.textContent = item.title;
      var state = document.createElement("td");
      state.textContent = done(item) ? STRINGS.done : STRINGS.not_done;
      row.appendChild(name);
      row.appendChild(state);
      rows.appendChild(row);
    });
    var message = document.querySelector(".save-status");
    var link = document.querySelector(".download-link");
    document.querySelector(".save-progress").addEventListener("click", function () {
      var entries = load().entries;
      if (!entries.length) {
        message.textContent = STRINGS.nothing;
        return;
      }
      var file = progressFile(root.OfflineSha256.hmacSha256, PERSONAL, COURSE.course, entries);
      var text = JSON.stringify(file, null, 1);
      var name = "progress-" + COURSE.course + "-" + new Date().toISOString().slice(0, 10) + ".json";
      var href;
      try {
        href = root.URL.createObjectURL(new Blob([text], { type: "application/json" }));
      } catch (error) {
        href = "data:application/json;charset=utf-8," + encodeURIComponent(text);
      }
      link.href = href;
      link.download = name;
      link.textContent = name;
      link.hidden = false;
      link.click();
      message.textContent = STRINGS.saved_file;
    });
  }

  if (!PERSONAL && document.querySelector(".save-progress")) return;
  if (PERSONAL && !save(load())) {
    var warning = document.createElement("p");
    warning.className = "problem";
    warning.textContent = STRINGS.storage;
    document.getElementById("main").prepend(warning);
  }
  var page = body.getAttribute("data-page");
  if (page === "home") home();
  else if (page === "lesson") lesson();
  else if (page === "quiz") quizPage();
  else if (page === "progress") progressPage();
})(typeof window !== "undefined" ? window : this);
