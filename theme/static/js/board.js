// The board's search and filters, in place: the page already lists every upcoming task as a
// card, so this script only hides cards. The state lives in the URL (?q=&place=&category=
// &access=&month=&open=) so a filtered board can be shared, bookmarked and restored by
// back/forward. Filters alone use the cards' data attributes; a search word asks the Pagefind
// index (built by sitegen/search.py) which task pages match. No inline code: CSP-friendly.
(function () {
  "use strict";

  var form = document.getElementById("search");
  var list = document.getElementById("tasks");
  if (!form || !list || !window.URLSearchParams || !window.history.pushState) {
    return; // an old browser keeps the full list, as without JavaScript
  }

  var FILTERS = ["place", "category", "access", "month", "open"];
  var FIELDS = ["q"].concat(FILTERS);
  var TYPING_PAUSE = 150; // ms after the last key before searching
  var cards = Array.prototype.slice.call(list.querySelectorAll("article.card"));
  var days = Array.prototype.slice.call(list.querySelectorAll("section.day"));
  var hrefs = cards.map(linkOf);

  // A board of thousands of cards: let the browser skip laying out the days off screen, so
  // showing and hiding cards stays fast. Set here rather than in site.css because the HTML
  // checker does not know contain-intrinsic-block-size yet; only the height is estimated.
  days.forEach(function (day) {
    day.style.contentVisibility = "auto";
    day.style.containIntrinsicBlockSize = "auto 40rem";
  });
  var count = document.getElementById("search-count");
  var pagefind = null; // a promise of the Pagefind module, or of null when it cannot load
  var generation = 0; // only the latest search may change the page
  var lastChange = null; // "q" while typing: one history entry per search, not per key
  var typingTimer = null;

  // A static board goes stale between builds: hide tasks that ended since.
  var now = Date.now();
  cards.forEach(function (card) {
    if (endOf(card) <= now) {
      card.dataset.over = "";
    }
  });

  function endOf(card) {
    // A repeating task stays until its last time; others until the end of the shown time.
    var text = card.dataset.lastEnd || card.dataset.end || "";
    var day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (day) {
      // All-day: the end is the last day itself, so it is over at the next midnight.
      return new Date(+day[1], +day[2] - 1, +day[3] + 1).getTime();
    }
    var moment = Date.parse(text);
    return isNaN(moment) ? Infinity : moment;
  }

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    var state = {};
    FIELDS.forEach(function (name) {
      state[name] = (params.get(name) || "").trim();
    });
    return state;
  }

  function readForm() {
    var state = {};
    FIELDS.forEach(function (name) {
      var field = form.elements[name];
      if (!field) {
        state[name] = "";
      } else if (field.type === "checkbox") {
        state[name] = field.checked ? field.value : "";
      } else {
        state[name] = field.value.trim();
      }
    });
    return state;
  }

  function fillForm(state) {
    FIELDS.forEach(function (name) {
      var field = form.elements[name];
      if (!field) {
        return;
      }
      if (field.type === "checkbox") {
        field.checked = state[name] === field.value;
      } else {
        // A value that is not an option (an old poster's month) leaves "all" selected.
        field.value = state[name];
        if (field.value !== state[name]) {
          field.value = "";
        }
      }
    });
  }

  function toQuery(state) {
    var params = new URLSearchParams();
    FIELDS.forEach(function (name) {
      if (state[name]) {
        params.set(name, state[name]);
      }
    });
    var query = params.toString();
    return query ? "?" + query : "";
  }

  function isActive(state) {
    return FIELDS.some(function (name) {
      return state[name] !== "";
    });
  }

  function words(text) {
    return (text || "").split(" ");
  }

  function matchesFilters(card, state) {
    if ("over" in card.dataset) {
      return false;
    }
    // Results are tasks one can still join: a cancelled task shows only on the full list.
    if (isActive(state) && card.classList.contains("state-cancelled")) {
      return false;
    }
    return (!state.place || card.dataset.place === state.place) &&
      (!state.category || card.dataset.category === state.category) &&
      (!state.access || words(card.dataset.access).indexOf(state.access) >= 0) &&
      (!state.month || words(card.dataset.month).indexOf(state.month) >= 0) &&
      (!state.open || card.classList.contains("state-open"));
  }

  function linkOf(card) {
    var link = card.querySelector(".card-title a");
    return link ? link.getAttribute("href") : "";
  }

  function loadPagefind() {
    if (!pagefind) {
      // The module and the map from result ids to task URLs (written by sitegen/search.py).
      var urls = window.fetch(form.dataset.urls).then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      });
      pagefind = Promise.all([import(form.dataset.bundle), urls])
        .then(function (loaded) {
          var module = loaded[0];
          var map = loaded[1];
          // The index comes in shards (an edit re-indexes only its own): the first is the
          // bundle itself, the others are merged into it; they share its WebAssembly.
          return Promise.resolve(module.init && module.init()).then(function () {
            return Promise.all((map.merge || []).map(function (folder) {
              return module.mergeIndex(new URL(folder, new URL(form.dataset.bundle, window.location.href)).pathname);
            }));
          }).then(function () {
            return { module: module, urls: map.urls || {} };
          });
        })
        .catch(function () {
          return null; // no index (e.g. opened from disk): search the cards' own text instead
        });
    }
    return pagefind;
  }

  function pagefindFilters(state) {
    var filters = {};
    FILTERS.forEach(function (name) {
      if (state[name]) {
        filters[name] = name === "open" ? "yes" : state[name];
      }
    });
    return filters;
  }

  // The task URLs matching a search word, as a Set; Pagefind when it loads, else plain text.
  function searchLinks(state) {
    return loadPagefind().then(function (loaded) {
      if (!loaded) {
        return textMatches(state.q);
      }
      return loaded.module.search(state.q, { filters: pagefindFilters(state) }).then(function (found) {
        var links = new Set();
        var unknown = [];
        (found ? found.results : []).forEach(function (result) {
          var url = loaded.urls[result.id];
          if (url) {
            links.add(url);
          } else {
            unknown.push(result);
          }
        });
        // Ids missing from the map (should not happen): ask Pagefind for those pages' URLs.
        return Promise.all(unknown.map(function (result) {
          return result.data();
        })).then(function (pages) {
          pages.forEach(function (page) {
            links.add(page.url);
          });
          return links;
        });
      });
    });
  }

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function textMatches(q) {
    var terms = fold(q).split(/\s+/).filter(Boolean);
    var links = new Set();
    cards.forEach(function (card, i) {
      var text = fold(card.textContent);
      if (terms.every(function (term) { return text.indexOf(term) >= 0; })) {
        links.add(hrefs[i]);
      }
    });
    return links;
  }

  function show(state, links) {
    var shown = 0;
    cards.forEach(function (card, i) {
      var visible = matchesFilters(card, state) && (!links || links.has(hrefs[i]));
      if (card.hidden === visible) {  // touch only what changes: big boards re-layout less
        card.hidden = !visible;
      }
      if (visible) {
        shown += 1;
      }
    });
    days.forEach(function (day) {
      var empty = !day.querySelector("article.card:not([hidden])");
      if (day.hidden !== empty) {
        day.hidden = empty;
      }
    });
    announce(isActive(state) ? shown : null);
  }

  function announce(shown) {
    var text = "";
    if (shown === 0) {
      text = form.dataset.resultsNone;
    } else if (shown === 1) {
      text = form.dataset.resultsOne;
    } else if (shown !== null) {
      text = form.dataset.resultsMany.replace("{n}", String(shown));
    }
    if (count.textContent !== text) {
      count.textContent = text;
    }
  }

  function apply(state) {
    var mine = ++generation;
    if (!state.q) {
      show(state, null);
      return Promise.resolve();
    }
    form.setAttribute("aria-busy", "true");
    return searchLinks(state).then(function (links) {
      if (mine === generation) {
        show(state, links);
      }
    }).finally(function () {
      if (mine === generation) {
        form.removeAttribute("aria-busy");
      }
    });
  }

  // Record the form's state in the URL, then filter. Typing replaces its own history entry.
  function commit(change) {
    window.clearTimeout(typingTimer);
    var state = readForm();
    var query = toQuery(state);
    if (query !== window.location.search) {
      var url = window.location.pathname + query + window.location.hash;
      if (change === "q" && lastChange === "q") {
        window.history.replaceState(null, "", url);
      } else {
        window.history.pushState(null, "", url);
      }
    }
    lastChange = change;
    return apply(state);
  }

  form.addEventListener("input", function (event) {
    if (event.target.name === "q") {
      window.clearTimeout(typingTimer);
      typingTimer = window.setTimeout(function () {
        commit("q");
      }, TYPING_PAUSE);
    }
  });
  form.addEventListener("change", function (event) {
    if (event.target.name !== "q") {
      commit(event.target.name);
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    commit("submit");
  });
  form.addEventListener("reset", function () {
    // The reset has not happened yet when this runs; read the form afterwards.
    window.setTimeout(function () {
      commit("reset");
    }, 0);
  });
  form.elements.q.addEventListener("focus", loadPagefind, { once: true });

  window.addEventListener("popstate", function () {
    fillForm(readUrl());
    openFilters(readUrl());
    lastChange = null;
    apply(readForm());
  });

  // The search folds away on a phone (the tasks stay in view) but is open on a wide screen,
  // and whenever a search or a filter is set (a shared link such as /?place=t-hof); the
  // filters inside it likewise.
  function openFilters(state) {
    var wide = window.matchMedia("(min-width: 40rem)").matches;
    var finder = document.getElementById("finder");
    var more = document.getElementById("search-more");
    var set = FIELDS.some(function (name) { return name !== "q" && state[name]; });
    if (finder && (wide || set || state.q)) {
      finder.open = true;
    }
    if (more && (set || wide)) {
      more.open = true;
    }
  }

  var noScript = document.getElementById("finder-nojs"); // what the fold offers without this script
  if (noScript) {
    noScript.hidden = true;
  }
  fillForm(readUrl());
  openFilters(readUrl());
  form.hidden = false;
  apply(readForm());
})();
