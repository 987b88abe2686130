/* Clientside callbacks of the Dash pages, referenced from Python as
   ClientsideFunction('nsps', <name>) (callbacks/goal.py). Each reads what varies (a chart's
   prefix, a language) from the ids of its own outputs, so one function serves every chart. */
(function () {
  'use strict';
  var skip = function () { return window.dash_clientside.no_update; };
  var outputId = function (index) {
    var outputs = window.dash_clientside.callback_context.outputs_list;
    var output = Array.isArray(outputs) ? outputs[index || 0] : outputs;
    return output.id;
  };
  var escapeHtml = function (text) {
    return String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;')
      .replace(/</g, '&lt;').replace(/>/g, '&gt;');
  };

  /* merged into the namespace, as assets/viewdata.js does: asset load order must not matter */
  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.nsps = Object.assign(window.dash_clientside.nsps || {}, {
    /* Rewrites the query string from the charts' share states and the page's language; keeps
       keys the page does not own (`owned`). Returns the new address. */
    syncUrl: function (mapView, seriesView, lang, owned) {
      owned = owned || [];
      var current = new URLSearchParams(window.location.search);
      var params = new URLSearchParams();
      [mapView, seriesView].forEach(function (view) {
        var query = (view && view.query) || {};
        Object.keys(query).forEach(function (key) { params.set(key, query[key]); });
      });
      current.forEach(function (value, key) {
        if (owned.indexOf(key) < 0 && key !== 'lang') { params.append(key, value); }
      });
      if (lang) { params.set('lang', lang); }
      var search = params.toString();
      var url = window.location.pathname + (search ? '?' + search : '') + window.location.hash;
      if (url !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.replaceState(window.history.state, '', url);
      }
      if (mapView && mapView.title) { document.title = mapView.title; }
      return url;
    },

    /* The language switch link (`language-switch-<lang>`): this very view in that language. */
    switchLanguage: function (url) {
      if (!url) { return skip(); }
      var lang = outputId().split('-').pop();
      var target = new URL(url, window.location.origin);
      target.searchParams.set('lang', lang);
      return target.pathname + target.search + target.hash;
    },

    /* Opens a share dialog with absolute URLs built from the browser's own address; the link
       and both embeds name the page's language. */
    share: function (clicks, view, lang) {
      if (!clicks || !view || !view.embed) { return [skip(), skip(), skip(), skip()]; }
      var absolute = function (path) {
        var url = new URL(path, window.location.origin);
        if (lang) { url.searchParams.set('lang', lang); }
        return url.href;
      };
      var frame = function (path) {
        return '<iframe src="' + escapeHtml(absolute(path)) + '" title="' +
          escapeHtml(view.title) + '" width="100%" height="' + (view.height || 500) +
          '" style="border:0" loading="lazy"></iframe>';
      };
      return [true, absolute(window.location.href), frame(view.embed), frame(view.embed_pinned)];
    },

    /* Shows or hides a chart's off-canvas filters (phones): the `show` class, the button's
       `aria-expanded`, focus into the panel on opening and back to the button on closing,
       and Escape to close. */
    filters: function () {
      var prefix = outputId().replace(/-filters$/, '');
      var panel = document.getElementById(prefix + '-filters');
      var opener = document.getElementById(prefix + '-filters-open');
      var closer = document.getElementById(prefix + '-filters-close');
      var open = window.dash_clientside.callback_context.triggered_id === prefix + '-filters-open';
      if (panel && !panel.dataset.escapeCloses) {
        panel.dataset.escapeCloses = 'true';
        panel.addEventListener('keydown', function (event) {
          if (event.key === 'Escape' && panel.classList.contains('show')) { closer.click(); }
        });
      }
      window.setTimeout(function () { (open ? panel : opener).focus(); }, 50);
      var base = panel.className.split(/\s+/).filter(function (c) { return c && c !== 'show'; });
      return [(open ? base.concat(['show']) : base).join(' '), open ? 'true' : 'false'];
    },

    /* A "back to all" button (the map's "Whole country"): pressed, it clears the choice. */
    wholeCountry: function (clicks) {
      return clicks ? null : skip();
    },

    /* Hidden while nothing is chosen: a button that undoes a choice. */
    hiddenWithout: function (value) {
      return value === null || value === undefined || value === '';
    },

    /* Names a slider's handle and number box after its visible label (`<slider>-label`):
       Dash's Slider has no ARIA properties. The slider is drawn asynchronously, so this waits
       (briefly) for it; it updates nothing. */
    labelSlider: function () {
      var label = outputId();
      var slider = label.replace(/-label$/, '');
      var name = function (tries) {
        var parts = document.querySelectorAll('#' + slider + ' [role=slider], #' + slider + ' input');
        parts.forEach(function (part) { part.setAttribute('aria-labelledby', label); });
        if (!parts.length && tries > 0) {
          window.setTimeout(function () { name(tries - 1); }, 100);
        }
      };
      name(50);
      return skip();
    }
  });
})();
