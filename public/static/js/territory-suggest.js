// Text fields with suggestions (ARIA 1.2 combobox with a listbox popup): territories, bodies, people.
// Each field works without this script: the server reads what is typed.
(function () {
  "use strict";

  function setUp(input) {
    if (input.dataset.suggestReady) return;
    input.dataset.suggestReady = "1";
    var list = document.getElementById(input.id + "-suggestions");
    var status = document.getElementById(input.id + "-status");
    var url = input.dataset.suggestUrl;
    var timer = null;
    var active = -1;
    var items = [];
    var lastQuery = "";

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-describedby", input.id + "-hint");

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var item = items[index];
      if (!item) return;
      input.value = item.slug;
      close();
      if (input.form) {
        if (input.form.requestSubmit) input.form.requestSubmit();
        else input.form.submit();
      }
    }

    function render(results) {
      items = results;
      list.textContent = "";
      results.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = input.id + "-option-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "suggestion-name";
        name.textContent = item.name;
        var details = document.createElement("span");
        details.className = "suggestion-details";
        details.textContent = item.details;
        option.appendChild(name);
        option.appendChild(document.createTextNode(" "));
        option.appendChild(details);
        // mousedown, not click: the field keeps its focus until the choice is made.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(i);
        });
        list.appendChild(option);
      });
      var open = results.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      active = -1;
      status.textContent = open
        ? results.length + (results.length > 1 ? " suggestions." : " suggestion.")
        : "Aucune suggestion.";
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < 2) {
        close();
        return;
      }
      if (query === lastQuery && !list.hidden) return;
      lastQuery = query;
      var separator = url.indexOf("?") >= 0 ? "&" : "?";
      fetch(url + separator + "q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          // Answers may arrive out of order: keep only the one for what is typed now.
          if (input.value.trim() === query) render(data.results || []);
        })
        .catch(close);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        if (event.key === "ArrowDown" && items.length) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
          highlight(0);
          event.preventDefault();
        }
        return;
      }
      if (event.key === "ArrowDown") {
        highlight(Math.min(active + 1, items.length - 1));
        event.preventDefault();
      } else if (event.key === "ArrowUp") {
        highlight(Math.max(active - 1, 0));
        event.preventDefault();
      } else if (event.key === "Enter" && active >= 0) {
        choose(active);
        event.preventDefault();
      } else if (event.key === "Escape") {
        close();
        event.preventDefault();
      }
    });
    input.addEventListener("blur", close);
  }

  function init() {
    document.querySelectorAll("input[data-suggest-url]").forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
