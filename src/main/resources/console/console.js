// Pressroom console: the few things htmx cannot do. The API key lives in this tab's sessionStorage and is sent
// only to this server, in the Authorization header (never in a URL). Live timelines are read with fetch, not
// EventSource, because EventSource cannot send that header. No inline script or style anywhere (strict CSP).
(function () {
  'use strict';

  var KEY = 'pressroom.console.key';
  var TERMINAL = ['succeeded', 'failed', 'cancelled'];
  var stopped = new AbortController();

  function key() {
    return sessionStorage.getItem(KEY);
  }

  function byId(id) {
    return document.getElementById(id);
  }

  function showProblem(text) {
    var box = byId('problem');
    box.textContent = text || '';
    box.hidden = !text;
  }

  /** The detail of a problem+json answer, or its status line. */
  function problemOf(status, body) {
    try {
      var problem = JSON.parse(body);
      var text = problem.detail || problem.title || ('HTTP ' + status);
      if (Array.isArray(problem.violations)) {
        text += ': ' + problem.violations.map(function (v) {
          return (v.pointer || v.field || '') + ' ' + (v.message || '');
        }).join('; ');
      }
      return text;
    } catch (e) {
      return 'The server answered HTTP ' + status + '.';
    }
  }

  /** fetch to this server with the key; only paths on this origin, never a URL given from elsewhere. */
  function api(path, options) {
    if (typeof path !== 'string' || path.charAt(0) !== '/' || path.charAt(1) === '/') {
      return Promise.reject(new Error('not a path on this server: ' + path));
    }
    var init = options || {};
    init.headers = Object.assign({}, init.headers, { Authorization: 'Bearer ' + key() });
    init.credentials = 'omit';
    init.signal = init.signal || stopped.signal;
    return fetch(path, init);
  }

  function signOut(message) {
    sessionStorage.removeItem(KEY);
    stopped.abort();
    if (message) {
      sessionStorage.setItem('pressroom.console.message', message);
    }
    window.location.reload();
  }

  function signedIn() {
    byId('sign-in').hidden = true;
    byId('app').hidden = false;
    byId('sign-out').hidden = false;
    htmx.trigger(document.body, 'signed-in');
    if (document.body.dataset.view === 'job') {
      followTimeline(byId('timeline'));
    }
  }

  function start() {
    var message = sessionStorage.getItem('pressroom.console.message');
    sessionStorage.removeItem('pressroom.console.message');
    showProblem(message);
    byId('sign-in-form').addEventListener('submit', function (event) {
      event.preventDefault();
      var input = byId('api-key');
      var value = input.value.trim();
      input.value = '';
      if (!value) {
        showProblem('Enter an API key.');
        return;
      }
      sessionStorage.setItem(KEY, value);
      showProblem(null);
      signedIn();
      byId('main').focus();
    });
    byId('sign-out').addEventListener('click', function () {
      signOut(null);
    });
    if (key()) {
      signedIn();
    } else {
      byId('sign-in').hidden = false;
      byId('api-key').focus();
    }
  }

  // htmx: the key goes on every request to the console's fragments, and no request leaves without one
  document.addEventListener('htmx:configRequest', function (event) {
    var path = event.detail.path || '';
    if (!key() || path.indexOf('/console/fragments/') !== 0) {
      event.preventDefault();
      return;
    }
    event.detail.headers.Authorization = 'Bearer ' + key();
  });

  document.addEventListener('htmx:responseError', function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status === 401) {
      signOut('The API key was refused: sign in again.');
      return;
    }
    showProblem(problemOf(xhr.status, xhr.responseText));
  });

  document.addEventListener('htmx:afterRequest', function (event) {
    if (event.detail.successful) {
      showProblem(null);
    }
  });

  document.addEventListener('htmx:sendError', function () {
    showProblem('The server cannot be reached; retrying.');
  });

  /** Images and downloads that need the key: fetched here, shown from blob: URLs. */
  /** The elements matching a selector in what htmx loaded: root itself (a top-level element of a swap) or below. */
  function within(root, selector) {
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    if (root.matches && root.matches(selector)) {
      found.unshift(root);
    }
    return found;
  }

  function loadAuthedImages(root) {
    within(root, 'img[data-authed-src]').forEach(function (img) {
      var path = img.getAttribute('data-authed-src');
      img.removeAttribute('data-authed-src');
      api(path).then(function (response) {
        if (!response.ok) {
          return response.text().then(function (body) {
            throw new Error(problemOf(response.status, body));
          });
        }
        return response.blob();
      }).then(function (blob) {
        img.src = URL.createObjectURL(blob);
      }).catch(function (error) {
        if (error.name !== 'AbortError') {
          img.alt = img.alt + ' (not available: ' + error.message + ')';
        }
      });
    });
    root.querySelectorAll('a[data-authed-download]').forEach(function (link) {
      link.addEventListener('click', function (event) {
        event.preventDefault();
        download(link.getAttribute('href'), {}, link.getAttribute('data-authed-download'));
      });
    });
  }

  function download(path, init, name) {
    api(path, init).then(function (response) {
      if (!response.ok) {
        return response.text().then(function (body) {
          throw new Error(problemOf(response.status, body));
        });
      }
      return response.blob();
    }).then(function (blob) {
      var url = URL.createObjectURL(blob);
      var link = document.createElement('a');
      link.href = url;
      link.download = name;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    }).catch(function (error) {
      showProblem(error.message);
    });
  }

  /** The template page's preview: re-rendered (debounced) as the sample payload is edited. */
  function wirePreview(root) {
    var pane = within(root, '[data-preview]')[0];
    if (!pane) {
      return;
    }
    var path = pane.getAttribute('data-preview');
    var textarea = pane.querySelector('#sample-payload');
    var image = pane.querySelector('#preview-image');
    var state = pane.querySelector('#preview-state');
    var timer = null;
    var running = null;
    var shown = null;

    function payload() {
      var text = textarea.value.trim();
      if (!text) {
        return '';
      }
      JSON.parse(text); // throws on text that is not JSON: said in the status, no request sent
      return text;
    }

    function render() {
      var body;
      try {
        body = payload();
      } catch (e) {
        state.textContent = 'The payload is not valid JSON: ' + e.message;
        return;
      }
      if (running) {
        running.abort();
      }
      running = new AbortController();
      state.textContent = 'Rendering the preview…';
      var init = { method: 'POST', headers: { Accept: 'image/png' }, signal: running.signal };
      if (body) {
        init.headers['Content-Type'] = 'application/json';
        init.body = body;
      }
      api(path, init).then(function (response) {
        if (!response.ok) {
          return response.text().then(function (text) {
            throw new Error(problemOf(response.status, text));
          });
        }
        return response.blob();
      }).then(function (blob) {
        if (shown) {
          URL.revokeObjectURL(shown);
        }
        shown = URL.createObjectURL(blob);
        image.src = shown;
        image.hidden = false;
        state.textContent = 'Preview rendered at ' + new Date().toLocaleTimeString() + '.';
      }).catch(function (error) {
        if (error.name !== 'AbortError') {
          state.textContent = 'No preview: ' + error.message;
        }
      });
    }

    textarea.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(render, 600);
    });
    pane.querySelector('#preview-pdf').addEventListener('click', function () {
      var body;
      try {
        body = payload();
      } catch (e) {
        state.textContent = 'The payload is not valid JSON: ' + e.message;
        return;
      }
      var init = { method: 'POST', headers: { Accept: 'application/pdf' } };
      if (body) {
        init.headers['Content-Type'] = 'application/json';
        init.body = body;
      }
      download(path, init, 'preview.pdf');
    });
    render();
  }

  /** The job's timeline, live: the API's SSE stream read with fetch, resumed with Last-Event-ID. */
  function followTimeline(list) {
    var jobId = list.getAttribute('data-job');
    var state = byId('timeline-state');
    var lastId = null;
    var refresh = null;

    function changed() {
      clearTimeout(refresh);
      refresh = setTimeout(function () { htmx.trigger(document.body, 'job-changed'); }, 300);
    }

    function append(event) {
      var data = {};
      try {
        data = JSON.parse(event.data);
      } catch (e) {
        data = {};
      }
      var item = document.createElement('li');
      item.className = 'event event-' + (event.name || 'message');
      var time = document.createElement('time');
      if (data.at) {
        time.dateTime = new Date(data.at).toISOString();
        time.textContent = new Date(data.at).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
      }
      var name = document.createElement('strong');
      name.textContent = event.name || 'message';
      item.appendChild(time);
      item.appendChild(document.createTextNode(' '));
      item.appendChild(name);
      if (data.attempt) {
        item.appendChild(document.createTextNode(' (attempt ' + data.attempt + ')'));
      }
      if (data.details && Object.keys(data.details).length) {
        var details = document.createElement('code');
        details.textContent = JSON.stringify(data.details);
        item.appendChild(document.createTextNode(' '));
        item.appendChild(details);
      }
      list.appendChild(item);
    }

    function parse(block) {
      var event = { id: null, name: null, data: '' };
      var seen = false;
      block.split('\n').forEach(function (line) {
        if (!line || line.charAt(0) === ':') {
          return; // a heartbeat comment
        }
        var colon = line.indexOf(':');
        var field = colon < 0 ? line : line.slice(0, colon);
        var value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') {
          event.id = value;
        } else if (field === 'event') {
          event.name = value;
        } else if (field === 'data') {
          event.data += (event.data ? '\n' : '') + value;
          seen = true;
        }
      });
      return seen ? event : null;
    }

    async function follow() {
      while (!stopped.signal.aborted) {
        var headers = { Accept: 'text/event-stream' };
        if (lastId) {
          headers['Last-Event-ID'] = lastId;
        }
        var ended = false;
        try {
          var response = await api('/v1/render-jobs/' + encodeURIComponent(jobId) + '/events', { headers: headers });
          if (response.status === 401) {
            signOut('The API key was refused: sign in again.');
            return;
          }
          if (!response.ok) {
            state.textContent = 'No timeline: ' + problemOf(response.status, await response.text());
            return;
          }
          state.textContent = 'Live: new events appear as they happen.';
          var reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          var buffer = '';
          for (;;) {
            var chunk = await reader.read();
            if (chunk.done) {
              break;
            }
            buffer += chunk.value.replace(/\r\n?/g, '\n');
            var end;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              var event = parse(buffer.slice(0, end));
              buffer = buffer.slice(end + 2);
              if (event) {
                lastId = event.id || lastId;
                append(event);
                changed();
                ended = ended || TERMINAL.indexOf(event.name) >= 0;
              }
            }
          }
        } catch (error) {
          if (stopped.signal.aborted) {
            return;
          }
          state.textContent = 'Disconnected; reconnecting…';
        }
        if (ended) {
          state.textContent = 'The job has ended: its timeline is complete.';
          return;
        }
        // the stream ended by its maximum duration or a restart: resume after the last event
        await new Promise(function (resolve) { setTimeout(resolve, 2000); });
      }
    }

    follow();
  }

  htmx.onLoad(function (root) {
    loadAuthedImages(root);
    wirePreview(root);
  });

  // a deferred script runs while readyState is already 'interactive', before htmx (which waits for
  // DOMContentLoaded, and was loaded first, so its listener runs first) has processed the page: starting then would
  // send 'signed-in' before any hx-trigger listens for it
  if (document.readyState === 'complete') {
    start();
  } else {
    document.addEventListener('DOMContentLoaded', start);
  }
})();
