/* The goal page's map changes year in the browser, with no request (callbacks/goal.py wires
   these as ClientsideFunction('nsps', <name>)).

   The map's view data (GET /api/v1/views/map: dashboard/viewdata.py, callbacks/viewdata.py)
   holds, for the indicator, level, language, width class and release drawn, the latest year's
   figure and every year's changes to it, share state and frame parts (heading, footer, Sources
   tab, downloads as Dash components), all formatted in Python. It is fetched once, right after
   the map is drawn, and kept here by URL; a year change then only places what it holds. The
   play button steps through the years on the same path. */
(function () {
  'use strict';
  /* read at call time: dash-renderer adds Patch, set_props and no_update after this file */
  var dash = function () { return window.dash_clientside; };
  var skip = function () { return dash().no_update; };
  /* URL → promise of the view data: each document is fetched once per page */
  var documents = new Map();
  /* URL → the view data, once it has arrived */
  var loaded = new Map();

  function load(url) {
    var found = documents.get(url);
    if (!found) {
      found = window.fetch(url, {credentials: 'same-origin'}).then(function (response) {
        if (!response.ok) { throw new Error('view data: HTTP ' + response.status); }
        return response.json();
      }).then(function (doc) {
        loaded.set(url, doc);
        return doc;
      });
      found.catch(function () { documents.delete(url); });  /* a failure is retried next time */
      documents.set(url, found);
    }
    return found;
  }

  /* The published year a slider move lands on: the same rule as dashboard/views.snap_year. */
  function snapYear(years, requested, previous) {
    if (years.indexOf(requested) >= 0) { return requested; }
    if (previous === null || requested === previous) { return years[years.length - 1]; }
    var i;
    if (requested > previous) {
      for (i = 0; i < years.length; i++) { if (years[i] >= requested) { return years[i]; } }
      return years[years.length - 1];
    }
    for (i = years.length - 1; i >= 0; i--) { if (years[i] <= requested) { return years[i]; } }
    return years[0];
  }

  function shownYear(view) {
    var year = parseInt(((view && view.query) || {}).year, 10);
    return isNaN(year) ? null : year;
  }

  /* `data.1.z` → ['data', 1, 'z']: list indices as numbers, as the Patch needs them. */
  function location(path) {
    return path.split('.').map(function (part) { return /^\d+$/.test(part) ? +part : part; });
  }

  function valueAt(figure, where) {
    var node = figure;
    for (var i = 0; i < where.length; i++) {
      if (node === null || typeof node !== 'object' || !(where[i] in node)) { return undefined; }
      node = node[where[i]];
    }
    return node;
  }

  /* What to set, by dotted path, to go from the figure as shown (year `from`) to year `to`.
     Each year's changes are from the latest year's figure, so a path changed for `from` but
     not for `to` goes back to the latest figure's value (undefined: absent there). */
  function yearChanges(doc, from, to) {
    var target = doc.by_year[String(to)].changes;
    var shown = from !== null && doc.by_year[String(from)] ? doc.by_year[String(from)].changes : {};
    var out = {};
    Object.keys(Object.assign({}, shown, target)).forEach(function (path) {
      out[path] = path in target ? target[path] : valueAt(doc.figure, location(path));
    });
    return out;
  }

  /* The changes as a Patch of the figure Dash holds, so later server patches apply to the
     year shown. */
  function figurePatch(changes) {
    var patch = new (dash().Patch)();
    Object.keys(changes).forEach(function (path) {
      if (changes[path] === undefined) {
        patch.delete(location(path));
      } else {
        patch.assign(location(path), changes[path]);
      }
    });
    return patch.build();
  }

  /* The same changes drawn at once on the graph (Plotly.update), before Dash applies its
     outputs: the reader sees the new year a frame earlier. dcc.Graph's `react` with the
     patched figure then finds the very same values. */
  function repaint(changes) {
    var gd = document.querySelector('#map-graph .js-plotly-plot');
    if (!gd || !gd.data || !window.Plotly) { return; }
    var traces = {};
    var layout = {};
    Object.keys(changes).forEach(function (path) {
      var value = changes[path] === undefined ? null : changes[path];
      var where = path.split('.');
      if (where[0] === 'data') {
        traces[where[1]] = traces[where[1]] || {};
        traces[where[1]][where.slice(2).join('.')] = [value];  /* one value per trace */
      } else if (where[0] === 'layout') {
        layout[where.slice(1).join('.')] = value;
      }
    });
    var indices = Object.keys(traces);
    if (!indices.length) { window.Plotly.relayout(gd, layout); }
    indices.forEach(function (index, i) {
      window.Plotly.update(gd, traces[index], i === 0 ? layout : {}, [+index]);
    });
  }

  /* Resolves with `value` once the browser has painted a frame. */
  function afterPaint(value) {
    return new Promise(function (resolve) {
      window.requestAnimationFrame(function () {
        window.setTimeout(function () { resolve(value); }, 0);
      });
    });
  }

  /* The slider's years with data: its marks. */
  function markedYears(marks) {
    return Object.keys(marks || {}).map(Number).filter(function (y) { return !isNaN(y); })
      .sort(function (a, b) { return a - b; });
  }

  function stopPlaying() {
    var button = document.getElementById('map-play');
    if (button && button.getAttribute('aria-pressed') === 'true' && dash().set_props) {
      dash().set_props('map-play-timer', {disabled: true});
      dash().set_props('map-play', {'aria-pressed': 'false'});
    }
  }

  /* The reader touching the slider (pointer or keyboard) stops the play button, and so does
     opening another tab of the frame (the table of a year is built when its tab opens). */
  ['pointerdown', 'keydown'].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (event.target.closest && event.target.closest('#map-year')) { stopPlaying(); }
    }, true);
  });
  document.addEventListener('click', function (event) {
    var tab = event.target.closest && event.target.closest('#goal-frame [data-frame-tab]');
    if (tab && tab.getAttribute('data-frame-tab') !== 'goal-panel-map') { stopPlaying(); }
  }, true);

  var outputs = 12;

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.nsps = Object.assign(window.dash_clientside.nsps || {}, {
    /* Fetches the view data of the map as drawn (`map-view-data`: its address, named by the
       server with every redraw), once the page has measured its frame: a map drawn for another
       width class is about to be redrawn, and its view data would not fit that figure. */
    prefetchMapYears: function (url) {
      if (!url) { return skip(); }
      var layout = new URL(url, window.location.href).searchParams.get('layout');
      window.setTimeout(function () {
        var frame = document.getElementById('goal-frame');
        var measured = frame && frame.getAttribute('data-width-class');
        if (!measured || measured === layout) { load(url).catch(function () {}); }
      }, 200);
      return skip();
    },

    /* A new slider year: snapped to a year with data (in the direction of the move), then the
       figure's changes, the share state (address bar, share dialog, page title), the summary,
       the heading with its badge, the subtitle, the footer, the Sources and Download tabs, from
       the view data. The notices of the old address are cleared; the table, if it was built,
       is cleared and built again (by the server) when the reader opens it; with an area chosen,
       the area text's `data-year` asks the server for that area's outline and value. */
    changeMapYear: function (year, url, view, area, shownNotices, shownTable) {
      var nothing = Array(outputs).fill(skip());
      var previous = shownYear(view);
      if (typeof year !== 'number' || !url || year === previous) { return nothing; }
      var place = function (doc) {
        var to = snapYear(doc.years, year, previous);
        var entry = doc.by_year[String(to)];
        if (!entry) { return nothing; }
        if (to === previous) {  /* past an end of the range: the slider goes back */
          var back = nothing.slice();
          back[2] = to;
          return back;
        }
        /* each output is a Dash store update that every component on the page re-checks:
           what the year leaves as it was is not sent */
        var before = doc.by_year[String(previous)];
        var changed = function (key) {
          return !before || JSON.stringify(before.frame[key]) !== JSON.stringify(entry.frame[key]);
        };
        var changes = yearChanges(doc, previous, to);
        repaint(changes);
        return afterPaint([
          figurePatch(changes),
          entry.share,
          to !== year ? to : skip(),
          entry.summary,
          changed('heading') ? entry.frame.heading : skip(),
          entry.subtitle,
          changed('footer') ? entry.frame.footer : skip(),
          changed('sources') ? entry.frame.sources : skip(),
          entry.frame.downloads,
          shownNotices && shownNotices.length ? [] : skip(),
          shownTable ? null : skip(),
          area ? String(to) : skip()
        ]);
      };
      /* cached (the usual case): drawn at once */
      if (loaded.has(url)) { return place(loaded.get(url)); }
      return load(url).then(place).catch(function (error) {
        window.console.error(error);  /* e.g. offline: the slider goes back to the map's year */
        var back = nothing.slice();
        back[2] = previous === null ? skip() : previous;
        return back;
      });
    },

    /* The play button: starts (from the first year when the map shows the last) or stops; a
       new indicator or level stops it. */
    togglePlay: function (clicks, indicator, level, pressed, year, marks) {
      var stop = [true, 'false', skip()];
      if (dash().callback_context.triggered_id !== 'map-play') {
        return pressed === 'true' ? stop : [skip(), skip(), skip()];
      }
      var years = markedYears(marks);
      if (pressed === 'true' || years.length < 2) { return stop; }
      return [false, 'true', year >= years[years.length - 1] ? years[0] : skip()];
    },

    /* One tick of the play button: the next year with data; it stops at the last. */
    playStep: function (ticks, year, marks) {
      var later = markedYears(marks).filter(function (y) { return y > year; });
      if (!later.length) { return [true, 'false', skip()]; }
      var last = later.length === 1;
      return [last ? true : skip(), last ? 'false' : skip(), later[0]];
    }
  });
})();
