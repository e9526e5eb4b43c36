// The web UI's only script: new records on the records page as they are stored (server-sent events), and
// "copy as JSONL" on the record page. Stored text only ever becomes textContent, never markup.
"use strict";

(function () {
  function cell(text, className) {
    const td = document.createElement("td");
    if (className) {
      td.className = className;
    }
    td.textContent = text;
    return td;
  }

  function recordRow(record) {
    const row = document.createElement("tr");
    row.dataset.id = record.id;
    row.classList.add("new");
    if (record.failed) {
      row.classList.add("failed");
    }
    const time = document.createElement("td");
    time.className = "time";
    const link = document.createElement("a");
    link.href = record.href;
    link.textContent = record.time;
    time.appendChild(link);
    const text = document.createElement("td");
    text.className = "text";
    const question = document.createElement("span");
    question.className = "question";
    question.textContent = record.question;
    const arrow = document.createElement("span");
    arrow.className = "arrow";
    arrow.textContent = "→";
    const reply = document.createElement("span");
    reply.className = "reply";
    reply.textContent = record.reply;
    text.append(question, " ", arrow, " ", reply);
    row.append(time, cell(record.namespace), cell(record.model), cell(record.duration, "number"),
      cell(record.tokens, "number"), cell(record.cost, "number"), text);
    return row;
  }

  function follow(table) {
    const body = table.tBodies[0];
    const count = document.getElementById("shown-count");
    const source = new EventSource(table.dataset.live);
    source.addEventListener("record", function (event) {
      const record = JSON.parse(event.data);
      if (body.querySelector("tr[data-id=\"" + CSS.escape(record.id) + "\"]")) {
        return;
      }
      body.insertBefore(recordRow(record), body.firstChild);
      const empty = document.getElementById("empty");
      if (empty) {
        empty.remove();
      }
      if (count) {
        count.textContent = String(body.rows.length);
      }
    });
    // Closed before the page goes: no request is left to fail.
    window.addEventListener("pagehide", function () {
      source.close();
    });
  }

  function copyButton(button) {
    button.addEventListener("click", function () {
      const source = document.getElementById(button.dataset.copy);
      const label = button.textContent;
      navigator.clipboard.writeText(source.textContent).then(function () {
        button.textContent = "Copied";
      }, function () {
        button.textContent = "Copy failed: select the JSON below";
      }).finally(function () {
        setTimeout(function () {
          button.textContent = label;
        }, 2000);
      });
    });
  }

  // A filter left empty is left out of the URL: the address of a view stays short enough to read and share.
  function shortUrls(form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input, select").forEach(function (field) {
        if (field.name && field.value === "") {
          field.disabled = true;
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.filters").forEach(shortUrls);
    const table = document.getElementById("records");
    if (table && table.dataset.live && window.EventSource) {
      follow(table);
    }
    document.querySelectorAll("button[data-copy]").forEach(copyButton);
  });
})();
