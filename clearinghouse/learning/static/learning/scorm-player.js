/* The SCORM player's glue. It starts the SCORM runtime (scorm-again, vendored) in this page
   with where the learner left the package last time, then loads the package into the
   sandboxed frame, where the package finds the runtime as window.parent.API (SCORM 1.2) or
   window.parent.API_1484_11 (SCORM 2004). The runtime commits the package's data model to the
   platform as JSON; the answer is shown in the status line. Nothing is recorded in a preview
   (no commit address). */
(function () {
  "use strict";
  var node = document.getElementById("scorm-config");
  var frame = document.getElementById("scorm-frame");
  var status = document.getElementById("scorm-status");
  if (!node || !frame || !status) {
    return;
  }
  var config = JSON.parse(node.textContent);

  function answer(xhr) {
    var body = null;
    try {
      body = JSON.parse(xhr.responseText);
    } catch (error) {
      body = null;
    }
    if (xhr.status >= 200 && xhr.status < 300 && body && body.result === true) {
      status.textContent = config.messages.saved;
      return { result: true, errorCode: 0 };
    }
    status.textContent = (body && body.error) || config.messages.failed;
    return { result: false, errorCode: 101 };
  }

  var settings = {
    autocommit: true,
    autocommitSeconds: 30,
    logLevel: 4,
    lmsCommitUrl: config.commit || false,
    dataCommitFormat: "json",
    xhrHeaders: { "X-CSRFToken": config.csrf },
    xhrResponseHandler: answer,
    // The runtime sends the commit of LMSFinish/Terminate as a beacon, which carries no
    // header: the security token travels in the body too.
    requestHandler: function (commit) {
      commit.csrfToken = config.csrf;
      return commit;
    }
  };
  var api;
  if (config.version === "1.2") {
    api = new window.Scorm12API(settings);
    window.API = api;
  } else {
    api = new window.Scorm2004API(settings);
    window.API_1484_11 = api;
  }
  api.loadFromJSON(config.cmi);
  frame.src = config.launch;
})();
