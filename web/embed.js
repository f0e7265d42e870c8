/* <protocol-explorer>: Protocol Explorer inside any page, from one script tag.
 *
 *   <script src="https://example.org/protocol-explorer/embed.js" defer></script>
 *   <protocol-explorer model="paxos" config="ignore-accepted" props></protocol-explorer>
 *   <protocol-explorer link="#v=1&m=paxos&c=ignore-accepted&t=0.0.2&h=5d1c0a2e&at=2"></protocol-explorer>
 *
 * Attributes (all optional but one of model and link):
 *   model, config, seed        what to explore (config defaults to safe)
 *   constants                  "Name=value; Other={1, 2}" (each replaces that constant's default)
 *   link                       a deep link's fragment ("Copy link" or "Embed" in the app): model,
 *                              config, constants, seed, trace and step in one; model, config,
 *                              constants and seed attributes given as well are added to it
 *   step                       the step of the trace shown (with a link's trace)
 *   controls                   "false" hides the step bar (drive it with the methods below)
 *   props                      present: the properties panel under the view
 *   actions                    present: the enabled actions as buttons, so a reader takes the one
 *                              they choose
 *   theme                      light, dark, auto (the reader's colour scheme, as it changes; the
 *                              default) or page (follow this page: dark when its background is
 *                              dark, and again whenever the page's theme changes)
 *   height                     a fixed height in pixels; without it the frame fits its content once
 *                              it is ready, then only grows (with room to spare), so the page
 *                              around it moves as little as possible
 *   loading                    lazy (the default: a poster until it is near the screen or
 *                              clicked) or eager
 *   lesson                     a lesson's name (lessons/<name>.toml): its player above the view
 *   lesson-src                 the address of a lesson file (.toml; relative to this page), fetched
 *                              by the explorer: its server must allow it (Access-Control-Allow-Origin)
 *   <script type="text/x-pex-lesson">  inside the element: a lesson written into this page
 *                              (sent to the explorer once it is ready). A lesson names its model,
 *                              so with lesson-src or an inline lesson no model attribute is needed.
 *
 * Events (CustomEvent, details as the embed's messages): pex-ready, pex-step, pex-violation,
 * pex-resize, pex-error (also for a lesson that cannot be loaded or played). Methods: goTo(n),
 * step(action?), back(), forward(), play(), pause(), reset(), lesson(text). Several explorers on one page load one after another, so the app's WebAssembly is
 * downloaded once and the others take it from the browser's cache.
 *
 * The frame is the app itself (index.html beside this script) with embed=1 in its fragment; the
 * messages between them are version 1 of the embed protocol (ARCHITECTURE.md, "The embed").
 */
(function () {
  'use strict';
  if (window.customElements && customElements.get('protocol-explorer')) return;
  var script = document.currentScript;
  var APP = new URL('index.html', script && script.src ? script.src : location.href);
  var API = 1;
  var DEFAULT_HEIGHT = 420;
  // The most a lesson may hold, in bytes of UTF-8 (as the explorer checks it: lessons::MAX_LESSON_BYTES).
  var MAX_LESSON_BYTES = 256 * 1024;
  // One frame loads at a time: the next starts when the previous is ready (or failed), so the
  // WebAssembly it fetched is in the browser's cache.
  var queue = Promise.resolve();

  var style =
    ':host{display:block;position:relative;font:14px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}' +
    'iframe{display:block;width:100%;border:1px solid #dde1e7;border-radius:10px;background:transparent}' +
    'iframe.dark{border-color:#2d333d}' +
    '.poster{box-sizing:border-box;width:100%;display:flex;flex-direction:column;align-items:center;justify-content:center;gap:8px;' +
    'border:1px dashed #9aa4b2;border-radius:10px;background:#f6f7f9;color:#1f2328;cursor:pointer;padding:16px;text-align:center;font:inherit}' +
    '.poster.dark{background:#171b22;color:#e6edf3;border-color:#4b5563}' +
    '.poster .play{font-size:15px;font-weight:700}.poster .what{opacity:.75;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}' +
    '.error{box-sizing:border-box;border:1px solid #cf222e;background:#ffe4e6;color:#1f2328;border-radius:10px;padding:10px 12px}' +
    '.error strong{display:block;margin-bottom:4px}';

  function pageIsDark() {
    var el = document.body || document.documentElement;
    while (el) {
      var c = getComputedStyle(el).backgroundColor;
      var m = c && c.match(/rgba?\(([\d.]+)[, ]+([\d.]+)[, ]+([\d.]+)(?:[, /]+([\d.]+))?/);
      if (m && (m[4] === undefined || Number(m[4]) > 0)) {
        return 0.2126 * m[1] + 0.7152 * m[2] + 0.0722 * m[3] < 128;
      }
      el = el.parentElement;
    }
    return matchMedia('(prefers-color-scheme: dark)').matches;
  }

  /** The lesson written inside the element (<script type="text/x-pex-lesson">), or null. */
  function inlineLesson(el) {
    for (var i = 0; i < el.children.length; i++) {
      var c = el.children[i];
      if (c.tagName === 'SCRIPT' && (c.getAttribute('type') || '').trim().toLowerCase() === 'text/x-pex-lesson') return c.textContent;
    }
    return null;
  }

  /** The frame's fragment from the attributes, or throws Error(why) for a bad attribute. */
  function fragment(el) {
    var parts = [];
    var link = el.getAttribute('link');
    var model = el.getAttribute('model');
    var lessonSrc = el.getAttribute('lesson-src');
    var inline = inlineLesson(el);
    var given = [el.hasAttribute('lesson'), lessonSrc !== null, inline !== null].filter(Boolean).length;
    if (given > 1) throw new Error('it names more than one lesson: give one of a lesson attribute, a lesson-src attribute or a <script type="text/x-pex-lesson"> inside the element.');
    // A lesson from elsewhere names its own model.
    var lessonNamesModel = (lessonSrc !== null || inline !== null) && link === null && (model === null || !model.trim());
    if (link !== null) {
      link = link.trim().replace(/^[^#]*#/, '').replace(/^#/, '');
      if (!/(^|&)m=[^&]+/.test(link)) throw new Error('link="' + short(link) + '" is not a Protocol Explorer link: it names no model (m=…). Copy one with "Embed" or "Copy link" in the app.');
      // The embed's own keys come from the attributes, not from a pasted link.
      parts = link.split('&').filter(function (p) { return p && !/^(embed|props|controls|theme|origin)(=|$)/.test(p); });
    } else if (lessonNamesModel) {
      parts.push('v=1');
    } else if (model === null || !model.trim()) {
      throw new Error('it needs a model attribute (for example model="paxos") or a link attribute.');
    } else {
      parts.push('v=1');
    }
    if (model !== null && model.trim()) {
      if (!/^[a-z0-9][a-z0-9-]*$/.test(model.trim())) throw new Error('model="' + short(model) + '" is not a model name (lower-case letters, digits and dashes, such as paxos or ebpf-ring).');
      parts = parts.filter(function (p) { return !/^m=/.test(p); });
      parts.push('m=' + encodeURIComponent(model.trim()));
    }
    var config = el.getAttribute('config');
    if (config !== null) {
      parts = parts.filter(function (p) { return !/^c=/.test(p); });
      parts.push('c=' + encodeURIComponent(config.trim()));
    }
    var seed = el.getAttribute('seed');
    if (seed !== null) {
      if (!/^\d{1,19}$/.test(seed.trim())) throw new Error('seed="' + short(seed) + '" is not a whole number.');
      parts = parts.filter(function (p) { return !/^seed=/.test(p); });
      parts.push('seed=' + seed.trim());
    }
    var constants = el.getAttribute('constants');
    if (constants !== null) {
      constants.split(';').map(function (c) { return c.trim(); }).filter(Boolean).forEach(function (c) {
        var eq = c.indexOf('=');
        if (eq <= 0) throw new Error('constants="' + short(constants) + '": "' + short(c) + '" is not Name=value.');
        parts.push('k.' + encodeURIComponent(c.slice(0, eq).trim()) + '=' + encodeURIComponent(c.slice(eq + 1).trim()));
      });
    }
    var step = el.getAttribute('step');
    if (step !== null) {
      if (!/^\d{1,9}$/.test(step.trim())) throw new Error('step="' + short(step) + '" is not a whole number.');
      parts = parts.filter(function (p) { return !/^at=/.test(p); });
      parts.push('at=' + step.trim());
    }
    var lesson = el.getAttribute('lesson');
    if (lesson !== null) {
      if (!/^[a-z0-9][a-z0-9-]*$/.test(lesson.trim())) throw new Error('lesson="' + short(lesson) + '" is not a lesson name (such as paxos).');
      parts.push('lesson=' + lesson.trim());
    }
    if (lessonSrc !== null) {
      var url;
      try { url = new URL(lessonSrc.trim(), document.baseURI); } catch (e) { throw new Error('lesson-src="' + short(lessonSrc) + '" is not a URL.'); }
      if (!/^https?:$/.test(url.protocol)) throw new Error('lesson-src="' + short(lessonSrc) + '" is not an http or https address.');
      parts.push('lesson-src=' + encodeURIComponent(url.href));
    }
    if (inline !== null) {
      if (!inline.trim()) throw new Error('its <script type="text/x-pex-lesson"> is empty: write the lesson (TOML) inside it.');
      var bytes = new TextEncoder().encode(inline).length;
      if (bytes > MAX_LESSON_BYTES) throw new Error('its lesson is ' + bytes + ' bytes; a lesson may hold at most ' + MAX_LESSON_BYTES + '.');
      parts.push('lesson-inline=1');
    }
    parts.push('embed=1');
    var controls = el.getAttribute('controls');
    if (controls !== null && !/^(|true|false|1|0)$/.test(controls.trim())) throw new Error('controls="' + short(controls) + '" is neither true nor false.');
    if (controls !== null && /^(false|0)$/.test(controls.trim())) parts.push('controls=0');
    if (el.hasAttribute('props') && !/^(false|0)$/.test(el.getAttribute('props'))) parts.push('props=1');
    if (el.hasAttribute('actions') && !/^(false|0)$/.test(el.getAttribute('actions'))) parts.push('actions=1');
    var theme = (el.getAttribute('theme') || 'auto').trim();
    if (!/^(light|dark|auto|page)$/.test(theme)) throw new Error('theme="' + short(theme) + '" is not light, dark, auto or page.');
    el._followPage = theme === 'page';
    if (theme === 'page') theme = pageIsDark() ? 'dark' : 'light';
    if (theme !== 'auto') parts.push('theme=' + theme);
    if (/^https?:$/.test(location.protocol)) parts.push('origin=' + encodeURIComponent(location.origin));
    return parts.join('&');
  }

  function fixedHeight(el) {
    var h = el.getAttribute('height');
    if (h === null) return null;
    if (!/^\d{2,5}(px)?$/.test(h.trim())) throw new Error('height="' + short(h) + '" is not a number of pixels (such as 480).');
    return parseInt(h, 10);
  }

  function short(s) {
    s = String(s);
    return s.length > 60 ? s.slice(0, 60) + '…' : s;
  }

  class ProtocolExplorer extends HTMLElement {
    constructor() {
      super();
      this._root = this.attachShadow({ mode: 'open' });
      this._frame = null;
      this._ready = false;
      this._onMessage = this._onMessage.bind(this);
    }

    connectedCallback() {
      if (this._frame || this._poster) return;
      this._render();
    }

    disconnectedCallback() {
      window.removeEventListener('message', this._onMessage);
      if (this._observer) this._observer.disconnect();
      if (this._themeWatch) this._themeWatch();
    }

    /** theme="page": tells the frame whenever the page turns light or dark (a theme picker that
     * changes a class or attribute on <html> or <body>, or the reader's colour scheme). */
    _followPageTheme() {
      if (this._themeWatch) return;
      var self = this;
      var check = function () {
        var dark = pageIsDark();
        if (dark === self._dark) return;
        self._dark = dark;
        if (self._frame) self._frame.className = dark ? 'dark' : '';
        self._send('theme', { theme: dark ? 'dark' : 'light' });
      };
      var observer = new MutationObserver(check);
      var watch = { attributes: true, attributeFilter: ['class', 'style', 'data-theme'] };
      observer.observe(document.documentElement, watch);
      if (document.body) observer.observe(document.body, watch);
      var scheme = matchMedia('(prefers-color-scheme: dark)');
      // The page's stylesheet may answer the scheme after this event: look again a frame later.
      var onScheme = function () { requestAnimationFrame(check); };
      scheme.addEventListener('change', onScheme);
      this._themeWatch = function () { observer.disconnect(); scheme.removeEventListener('change', onScheme); self._themeWatch = null; };
    }

    /** Shows the poster (or the error), and loads the frame when near the screen or clicked. */
    _render() {
      var root = this._root;
      root.innerHTML = '';
      var css = document.createElement('style');
      css.textContent = style;
      root.appendChild(css);
      var hash, height;
      try {
        hash = fragment(this);
        height = fixedHeight(this);
      } catch (e) {
        this._fail(e.message);
        return;
      }
      this._hash = hash;
      this._height = height;
      var poster = document.createElement('button');
      poster.className = 'poster';
      this._dark = /(^|&)theme=dark(&|$)/.test(hash) || (!/(^|&)theme=/.test(hash) && matchMedia('(prefers-color-scheme: dark)').matches);
      if (this._dark) poster.classList.add('dark');
      poster.style.height = (height || DEFAULT_HEIGHT) + 'px';
      poster.setAttribute('part', 'poster');
      var model = (hash.match(/(?:^|&)m=([^&]+)/) || [])[1];
      var config = (hash.match(/(?:^|&)c=([^&]+)/) || [])[1] || 'safe';
      var play = document.createElement('span');
      play.className = 'play';
      play.textContent = '▶ Open the explorer';
      var what = document.createElement('span');
      what.className = 'what';
      what.textContent = model ? decodeURIComponent(model) + ' · ' + decodeURIComponent(config) : 'a lesson';
      poster.appendChild(play);
      poster.appendChild(what);
      poster.addEventListener('click', this._load.bind(this));
      root.appendChild(poster);
      this._poster = poster;
      if (this.getAttribute('loading') === 'eager' || !('IntersectionObserver' in window)) {
        this._load();
      } else {
        var self = this;
        this._observer = new IntersectionObserver(function (entries) {
          if (entries.some(function (e) { return e.isIntersecting; })) self._load();
        }, { rootMargin: '200px' });
        this._observer.observe(this);
      }
    }

    _fail(why) {
      var box = document.createElement('div');
      box.className = 'error';
      box.setAttribute('role', 'alert');
      box.setAttribute('part', 'error');
      var h = document.createElement('strong');
      h.textContent = 'This Protocol Explorer embed cannot be shown.';
      var p = document.createElement('span');
      p.textContent = 'The <protocol-explorer> element: ' + why;
      box.appendChild(h);
      box.appendChild(p);
      this._root.appendChild(box);
      this.dispatchEvent(new CustomEvent('pex-error', { detail: { message: why } }));
    }

    _load() {
      if (this._frame || !this._poster) return;
      if (this._observer) this._observer.disconnect();
      var self = this;
      var frame = document.createElement('iframe');
      frame.title = 'Protocol Explorer';
      frame.setAttribute('part', 'frame');
      if (this._dark) frame.className = 'dark';
      frame.style.height = (this._height || DEFAULT_HEIGHT) + 'px';
      frame.setAttribute('loading', 'eager');
      this._frame = frame;
      this._poster.querySelector('.play').textContent = 'Loading the explorer…';
      window.addEventListener('message', this._onMessage);
      queue = queue.then(function () {
        return new Promise(function (done) {
          self._loaded = done;
          // A frame that never says ready (a host that blocks it) does not hold up the others.
          setTimeout(done, 20000);
          frame.src = APP.href + '#' + self._hash;
          self._root.appendChild(frame);
          frame.style.position = 'absolute';
          frame.style.visibility = 'hidden';
        });
      });
    }

    _onMessage(e) {
      if (!this._frame || e.source !== this._frame.contentWindow || e.origin !== APP.origin) return;
      var d = e.data;
      if (!d || d.source !== 'protocol-explorer' || d.v !== API) return;
      if (d.type === 'ready' || d.type === 'error') {
        if (this._poster) {
          this._poster.remove();
          this._poster = null;
          this._frame.style.position = '';
          this._frame.style.visibility = '';
          this._shown = true;
          // Fitted while hidden: that is the height the host sees appear.
          this._fitted = !!this._sized;
        }
        this._ready = d.type === 'ready';
        if (this._loaded) this._loaded();
        if (this._ready && this._followPage) this._followPageTheme();
      }
      // The inline lesson goes to the frame whenever it says it is ready (a reloaded frame too).
      if (d.type === 'ready') {
        var lesson = inlineLesson(this);
        if (lesson !== null) this._send('lesson', { text: lesson });
      }
      if (d.type === 'resize' && !this._height && d.height > 0) {
        var fit = Math.min(Math.ceil(d.height) + 2, 4000);
        var now = parseFloat(this._frame.style.height) || 0;
        if (!this._fitted) {
          // Until it is shown and has fitted its content once, the frame fits it exactly: the
          // host moves when the poster gives way to it.
          this._frame.style.height = fit + 'px';
          this._sized = true;
          this._fitted = this._shown;
        } else if (fit > now) {
          // Shown, it only grows, and with room to spare, so later steps rarely move the host.
          this._frame.style.height = Math.min(Math.ceil(fit * 1.15), 4000) + 'px';
        }
      }
      this.dispatchEvent(new CustomEvent('pex-' + d.type, { detail: d }));
    }

    _send(type, fields) {
      if (!this._frame || !this._frame.contentWindow) return false;
      var message = Object.assign({ target: 'protocol-explorer', v: API, type: type }, fields || {});
      this._frame.contentWindow.postMessage(message, APP.origin);
      return true;
    }

    goTo(step) { return this._send('goto', { step: step }); }
    step(action) { return this._send('step', action ? { action: action } : {}); }
    back() { return this._send('back'); }
    forward() { return this._send('forward'); }
    play() { return this._send('play'); }
    pause() { return this._send('pause'); }
    reset() { return this._send('reset'); }
    /** Plays this lesson (its TOML text) in the explorer; pex-error says why when it cannot. */
    lesson(text) { return this._send('lesson', { text: String(text) }); }
  }

  customElements.define('protocol-explorer', ProtocolExplorer);
})();
