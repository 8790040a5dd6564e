/*
 * Study-abroad chat widget of the Paris Cité and Lille medical schools.
 *
 * Embed with one tag (the stylesheet beside this file is loaded by the widget):
 *   <script src=".../widget.js" data-server="https://chat.example.org" data-school="lille-medicine"
 *           data-language="en" data-title="Study abroad assistant" defer></script>
 *
 * Everything that comes from the student or the server is put on the page as text nodes
 * (never as HTML); only http, https, mailto and tel links become clickable.
 */
(function () {
  "use strict";

  // The database's school ids (data/knowledge/institutions.yml): the server keeps no other.
  var SCHOOLS = ["upc-medicine", "lille-medicine"];
  var LANGUAGES = ["en", "fr"];
  var LINK_SCHEMES = ["http:", "https:", "mailto:", "tel:"];
  var MAX_STORED_MESSAGES = 200;
  var MAX_MESSAGE_LENGTH = 5000;
  var REQUEST_TIMEOUT_MS = 60000;
  var RETRY_DELAY_MS = 1000;
  // A scheme-prefixed token ("https://…", "mailto:…", "javascript:…") or a bare e-mail address.
  var LINK_CANDIDATE = /[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"']+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
  var SVG_NAMESPACE = "http://www.w3.org/2000/svg";
  var THUMB_PATH = "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 " +
    "7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z";
  var TRAILING_PUNCTUATION = /[.,;:!?)\]}'"»]+$/;
  // Space kept above a reply's first line when it is scrolled to the top of the conversation.
  var REPLY_TOP_GAP_PX = 8;

  var STRINGS = {
    en: {
      title: "Study abroad assistant",
      open: "Chat with the study abroad assistant",
      close: "Close the chat",
      startOver: "Start over",
      intro: "Ask about partner universities, exchanges, clerkships, dates, fees and contacts.",
      inputLabel: "Your question",
      placeholder: "Type your question…",
      send: "Send",
      you: "You",
      bot: "Assistant",
      typing: "The assistant is typing…",
      choices: "Suggested answers",
      unreachable: "The assistant cannot be reached right now. Check your connection, then try again.",
      retry: "Retry",
      privacyTitle: "Privacy",
      privacyDays: function (days) {
        return "To answer you, the messages of this conversation are stored on the school's server for " +
          days + (days === 1 ? " day" : " days") + ". This browser also keeps them until you choose “Start over”.";
      },
      privacyUnknown: "To answer you, the messages of this conversation are stored on the school's server " +
        "for a limited period set by the school. This browser also keeps them until you choose “Start over”.",
      privacyOk: "OK",
      conversation: "Conversation",
      helpful: "This answer helped",
      unhelpful: "This answer did not help",
      feedbackThanks: "Thank you for your feedback.",
      feedbackFailed: "Your feedback could not be sent.",
      restarted: "New conversation started.",
      tooMany: function (seconds) {
        return "You are sending messages faster than the assistant can answer. Please wait " + seconds +
          " s, then try again.";
      },
      erase: "Delete this conversation",
      erased: "This conversation was deleted from the school's server and from this browser.",
      eraseFailed: "The conversation could not be deleted just now. Please try again later.",
    },
    fr: {
      title: "Assistant mobilité internationale",
      open: "Discuter avec l'assistant mobilité internationale",
      close: "Fermer la discussion",
      startOver: "Recommencer",
      intro: "Posez vos questions sur les universités partenaires, les échanges, les stages, les dates, les frais et les contacts.",
      inputLabel: "Votre question",
      placeholder: "Écrivez votre question…",
      send: "Envoyer",
      you: "Vous",
      bot: "Assistant",
      typing: "L'assistant écrit…",
      choices: "Réponses proposées",
      unreachable: "L'assistant est injoignable pour le moment. Vérifiez votre connexion, puis réessayez.",
      retry: "Réessayer",
      privacyTitle: "Confidentialité",
      privacyDays: function (days) {
        return "Pour vous répondre, les messages de cette conversation sont conservés sur le serveur de l'école pendant " +
          days + (days === 1 ? " jour" : " jours") + ". Ce navigateur les garde aussi jusqu'à ce que vous choisissiez « Recommencer ».";
      },
      privacyUnknown: "Pour vous répondre, les messages de cette conversation sont conservés sur le serveur de l'école " +
        "pendant une durée limitée fixée par l'école. Ce navigateur les garde aussi jusqu'à ce que vous choisissiez « Recommencer ».",
      privacyOk: "J'ai compris",
      conversation: "Conversation",
      helpful: "Cette réponse m'a aidé",
      unhelpful: "Cette réponse ne m'a pas aidé",
      feedbackThanks: "Merci pour votre avis.",
      feedbackFailed: "Votre avis n'a pas pu être envoyé.",
      restarted: "Nouvelle conversation commencée.",
      tooMany: function (seconds) {
        return "Vous envoyez des messages plus vite que l'assistant ne peut répondre. Merci d'attendre " + seconds +
          " s, puis de réessayer.";
      },
      erase: "Supprimer cette conversation",
      erased: "Cette conversation a été supprimée du serveur de l'école et de ce navigateur.",
      eraseFailed: "La conversation n'a pas pu être supprimée pour le moment. Merci de réessayer plus tard.",
    },
  };

  function findScript() {
    return document.currentScript || document.querySelector("script[data-server][src*='widget.js']");
  }

  function readOptions(script) {
    var data = script.dataset;
    var language = LANGUAGES.indexOf(data.language) >= 0 ? data.language : "en";
    return {
      server: (data.server || "").replace(/\/+$/, ""),
      school: SCHOOLS.indexOf(data.school) >= 0 ? data.school : null,
      language: language,
      title: data.title || STRINGS[language].title,
      stylesheet: new URL("widget.css", script.src).href,
    };
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  /* ---- Storage: the session id and the messages, kept in localStorage (in memory if it is unavailable). ---- */

  function Store(key) {
    this.key = key;
    this.memory = null;
    this.state = this.load();
  }

  Store.prototype.fresh = function () {
    return { sessionId: randomId(), messages: [], privacySeen: false, open: false };
  };

  Store.prototype.load = function () {
    try {
      var saved = JSON.parse(window.localStorage.getItem(this.key) || "null");
      if (saved && typeof saved.sessionId === "string" && Array.isArray(saved.messages)) {
        return saved;
      }
    } catch (error) {
      // Unreadable or unavailable storage: start a new conversation.
    }
    return this.fresh();
  };

  Store.prototype.save = function () {
    this.state.messages = this.state.messages.slice(-MAX_STORED_MESSAGES);
    try {
      window.localStorage.setItem(this.key, JSON.stringify(this.state));
    } catch (error) {
      // Private browsing or a full quota: the conversation lasts as long as the page.
    }
  };

  Store.prototype.reset = function () {
    var privacySeen = this.state.privacySeen;
    this.state = this.fresh();
    this.state.privacySeen = privacySeen;
    this.state.open = true;
    this.save();
  };

  /* ---- DOM helpers: elements built from text only. ---- */

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function button(className, label, onClick) {
    var node = element("button", className, label);
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }

  /** A thumb drawn in SVG (emoji fonts are missing on many systems), pointing down when `down`. */
  function thumbIcon(down) {
    var svg = document.createElementNS(SVG_NAMESPACE, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "18");
    svg.setAttribute("height", "18");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(SVG_NAMESPACE, "path");
    path.setAttribute("d", THUMB_PATH);
    path.setAttribute("fill", "currentColor");
    if (down) path.setAttribute("transform", "rotate(180 12 12)");
    svg.appendChild(path);
    return svg;
  }

  /** A safe href for a link candidate, or null when it must stay plain text. */
  function safeHref(candidate) {
    var target = candidate.indexOf(":") < 0 ? "mailto:" + candidate : candidate;
    try {
      var url = new URL(target);
      return LINK_SCHEMES.indexOf(url.protocol) >= 0 ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  /** Text with its allowed links made clickable, as DOM nodes. */
  function richText(text) {
    var fragment = document.createDocumentFragment();
    var last = 0;
    text.replace(LINK_CANDIDATE, function (match, offset) {
      var candidate = match.replace(TRAILING_PUNCTUATION, "");
      var href = candidate ? safeHref(candidate) : null;
      if (!href) return match;
      fragment.appendChild(document.createTextNode(text.slice(last, offset)));
      var link = element("a", "medchat-link", candidate);
      link.href = href;
      if (/^https?:/.test(href)) {
        link.target = "_blank";
        link.rel = "noopener noreferrer";
      }
      fragment.appendChild(link);
      last = offset + candidate.length;
      return match;
    });
    fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  function formatTime(iso, language) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) return "";
    return date.toLocaleTimeString(language === "fr" ? "fr-FR" : "en-GB", { hour: "2-digit", minute: "2-digit" });
  }

  function validButtons(buttons) {
    if (!Array.isArray(buttons)) return [];
    return buttons.filter(function (b) {
      return b && typeof b.title === "string" && typeof b.payload === "string" && b.title && b.payload;
    }).map(function (b) { return { title: b.title, payload: b.payload }; });
  }

  /* ---- The widget. ---- */

  function Widget(options) {
    this.options = options;
    this.text = STRINGS[options.language];
    this.store = new Store("medchat:" + (options.school || "any") + ":" + options.server);
    this.queue = Promise.resolve();
    this.pending = 0;
    this.failed = null;
    this.privacyText = null;
    this.build();
    this.renderMessages();
    if (this.store.state.open) this.open(false);
  }

  Widget.prototype.build = function () {
    var t = this.text;
    var self = this;
    var root = element("div", "medchat");
    root.lang = this.options.language;
    var panelId = "medchat-panel-" + randomId().slice(0, 8);

    this.launcher = button("medchat-launcher", t.open, function () { self.toggle(); });
    this.launcher.setAttribute("aria-expanded", "false");
    this.launcher.setAttribute("aria-controls", panelId);

    var panel = element("div", "medchat-panel");
    panel.id = panelId;
    panel.hidden = true;
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-labelledby", panelId + "-title");
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        self.close();
      }
    });

    var header = element("div", "medchat-header");
    var title = element("h2", "medchat-title", this.options.title);
    title.id = panelId + "-title";
    header.appendChild(title);
    header.appendChild(button("medchat-start-over", t.startOver, function () { self.startOver(); }));
    var closeButton = button("medchat-close", "×", function () { self.close(); });
    closeButton.setAttribute("aria-label", t.close);
    header.appendChild(closeButton);

    // The privacy notice: open in full until the student acknowledges it, then one line ("Privacy")
    // that opens it again (a disclosure button).
    this.privacy = element("div", "medchat-privacy");
    this.privacy.id = panelId + "-privacy";
    var privacyHeading = element("h3", "medchat-privacy-title");
    this.privacyToggle = button("medchat-privacy-toggle", t.privacyTitle, function () {
      // The button stays where it is, so it keeps the focus.
      if (self.privacyDetails.hidden) self.expandPrivacy(); else self.acknowledgePrivacy(false);
    });
    this.privacyToggle.setAttribute("aria-controls", panelId + "-privacy-details");
    this.privacyToggle.setAttribute("aria-expanded", "false");
    privacyHeading.appendChild(this.privacyToggle);
    this.privacy.appendChild(privacyHeading);
    this.privacyDetails = element("div", "medchat-privacy-details");
    this.privacyDetails.id = panelId + "-privacy-details";
    this.privacyDetails.hidden = true;
    this.privacyParagraph = element("p", "medchat-privacy-text", t.privacyUnknown);
    this.privacyDetails.appendChild(this.privacyParagraph);
    this.privacyDetails.appendChild(button("medchat-privacy-ok", t.privacyOk, function () { self.acknowledgePrivacy(true); }));
    this.privacyDetails.appendChild(button("medchat-erase", t.erase, function () { self.erase(); }));
    this.privacyStatus = element("p", "medchat-privacy-status");
    this.privacyStatus.setAttribute("role", "status");
    this.privacyDetails.appendChild(this.privacyStatus);
    this.privacy.appendChild(this.privacyDetails);

    // The scrolling part: the intro line, then the messages. The intro is in the same flow as the
    // messages (not a separate strip above a scrolled list), so no message can be drawn under it.
    this.body = element("div", "medchat-body");
    this.body.setAttribute("role", "region");
    this.body.setAttribute("aria-label", t.conversation);
    this.body.tabIndex = 0;
    this.body.appendChild(element("p", "medchat-intro", t.intro));
    this.log = element("ol", "medchat-log");
    this.log.setAttribute("aria-label", this.options.title);
    this.body.appendChild(this.log);

    this.typing = element("p", "medchat-typing");
    this.typing.hidden = true;
    this.typing.appendChild(element("span", "medchat-typing-text", t.typing));
    var dots = element("span", "medchat-dots");
    dots.setAttribute("aria-hidden", "true");
    for (var i = 0; i < 3; i += 1) dots.appendChild(element("span", "medchat-dot"));
    this.typing.appendChild(dots);

    this.error = element("div", "medchat-error");
    this.error.setAttribute("role", "alert");
    this.error.hidden = true;

    var form = element("form", "medchat-form");
    var inputId = panelId + "-input";
    var label = element("label", "medchat-visually-hidden", t.inputLabel);
    label.htmlFor = inputId;
    this.input = element("input", "medchat-input");
    this.input.id = inputId;
    this.input.type = "text";
    this.input.autocomplete = "off";
    this.input.maxLength = MAX_MESSAGE_LENGTH;
    this.input.placeholder = t.placeholder;
    var send = element("button", "medchat-send", t.send);
    send.type = "submit";
    form.appendChild(label);
    form.appendChild(this.input);
    form.appendChild(send);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var message = self.input.value.trim();
      if (!message) return;
      self.input.value = "";
      self.say(message, message);
    });

    this.announcer = element("div", "medchat-visually-hidden");
    this.announcer.setAttribute("aria-live", "polite");

    panel.appendChild(header);
    panel.appendChild(this.privacy);
    panel.appendChild(this.body);
    panel.appendChild(this.typing);
    panel.appendChild(this.error);
    panel.appendChild(form);
    root.appendChild(panel);
    root.appendChild(this.launcher);
    root.appendChild(this.announcer);
    this.panel = panel;
    this.root = root;
    document.body.appendChild(root);
  };

  Widget.prototype.toggle = function () {
    if (this.panel.hidden) this.open(true); else this.close();
  };

  Widget.prototype.open = function (moveFocus) {
    this.panel.hidden = false;
    this.root.classList.add("medchat-is-open");
    this.launcher.setAttribute("aria-expanded", "true");
    this.store.state.open = true;
    this.store.save();
    if (!this.store.state.privacySeen && this.privacyDetails.hidden) this.showPrivacy();
    this.showLatest();
    if (moveFocus) this.input.focus();
  };

  Widget.prototype.close = function () {
    this.panel.hidden = true;
    this.root.classList.remove("medchat-is-open");
    this.launcher.setAttribute("aria-expanded", "false");
    this.store.state.open = false;
    this.store.save();
    this.launcher.focus();
  };

  /** The notice in full, on the first opening: it describes the dialog until it is acknowledged. */
  Widget.prototype.showPrivacy = function () {
    this.panel.setAttribute("aria-describedby", this.privacy.id);
    this.expandPrivacy();
  };

  Widget.prototype.expandPrivacy = function () {
    this.privacyDetails.hidden = false;
    this.privacy.classList.add("medchat-privacy-is-open");
    this.privacyToggle.setAttribute("aria-expanded", "true");
    this.loadPrivacyText();
  };

  Widget.prototype.loadPrivacyText = function () {
    var self = this;
    if (this.privacyText !== null) return;
    this.privacyText = this.text.privacyUnknown;
    this.request("GET", "/webhooks/rest/privacy").then(function (body) {
      var days = body && body.retention_days;
      if (typeof days === "number" && isFinite(days) && days > 0 && Math.floor(days) === days) {
        self.privacyText = self.text.privacyDays(days);
        self.privacyParagraph.textContent = self.privacyText;
      }
    }).catch(function () {
      // The generic notice stays: the retention is set by the school.
    });
  };

  /** Read: the notice shrinks to its one-line "Privacy" button, which opens it again. */
  Widget.prototype.acknowledgePrivacy = function (moveFocus) {
    this.privacyDetails.hidden = true;
    this.privacy.classList.remove("medchat-privacy-is-open");
    this.privacyToggle.setAttribute("aria-expanded", "false");
    this.panel.removeAttribute("aria-describedby");
    this.store.state.privacySeen = true;
    this.store.save();
    if (moveFocus) this.input.focus();
  };

  Widget.prototype.startOver = function () {
    this.store.reset();
    this.failed = null;
    this.error.hidden = true;
    this.renderMessages();
    this.announce(this.text.restarted);
    this.input.focus();
  };

  /** Erases the conversation from the server (after the messages still on their way), then starts over here. */
  Widget.prototype.erase = function () {
    var self = this;
    var sessionId = this.store.state.sessionId;
    this.privacyStatus.textContent = "";
    this.queue = this.queue.then(function () {
      return self.request("POST", "/webhooks/rest/erase", { sender: sessionId }).then(function () {
        if (sessionId === self.store.state.sessionId) self.startOver();
        self.privacyStatus.textContent = self.text.erased;
        self.announce(self.text.erased);
      }, function () {
        self.privacyStatus.textContent = self.text.eraseFailed;
      });
    });
  };

  Widget.prototype.metadata = function () {
    return { school: this.options.school, language: this.options.language };
  };

  /** JSON request to the assistant's server; rejects on a network error, a timeout or a non-2xx status. */
  Widget.prototype.request = function (method, path, body) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS);
    var init = { method: method, signal: controller.signal, headers: { Accept: "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(this.options.server + path, init).then(function (response) {
      clearTimeout(timer);
      if (!response.ok) {
        // A refusal says how long to wait ("retry_after" in its body, as Retry-After): kept for the message.
        var failure = new Error("HTTP " + response.status);
        failure.status = response.status;
        return response.json().catch(function () { return null; }).then(function (body) {
          var wait = body && typeof body.retry_after === "number" ? body.retry_after : NaN;
          failure.retryAfter = isFinite(wait) ? Math.ceil(wait) : parseInt(response.headers.get("Retry-After") || "", 10);
          throw failure;
        });
      }
      return response.status === 204 ? null : response.json();
    }, function (error) {
      clearTimeout(timer);
      throw error;
    });
  };

  /** The student says something: shown as `shown`, sent as `payload` (a button's payload or the typed text). */
  Widget.prototype.say = function (shown, payload) {
    this.addMessage({ author: "user", text: shown });
    this.deliver(payload);
  };

  /** A failure worth sending the message once more: no answer at all, or the server (or the load balancer in
   * front of it) failing; a refusal (4xx, such as 429) is not retried. */
  function retriable(failure) {
    return !failure || !failure.status || failure.status >= 500;
  }

  function pause(milliseconds) {
    return new Promise(function (resolve) { setTimeout(resolve, milliseconds); });
  }

  /** Send a message; `again` (the retry button) sends a failed one again, with its id. Each message has an id,
   * so that a message sent again is answered once by the server (it answers a retry it already handled with
   * the same answers); a failed request is retried once, a second later, before the student is told. */
  Widget.prototype.deliver = function (payload, again) {
    var self = this;
    var sessionId = this.store.state.sessionId;
    var messageId = again ? again.messageId : randomId();
    var body = { sender: sessionId, message: payload, metadata: self.metadata(), message_id: messageId };
    this.failed = null;
    this.error.hidden = true;
    this.pending += 1;
    this.typing.hidden = false;
    this.scrollToEnd();
    function send(retry) {
      return self.request("POST", "/webhooks/rest/webhook", retry ? Object.assign({ retry: true }, body) : body);
    }
    this.queue = this.queue.then(function () {
      return send(Boolean(again)).catch(function (failure) {
        if (!retriable(failure) || sessionId !== self.store.state.sessionId) throw failure;
        return pause(RETRY_DELAY_MS).then(function () { return send(true); });
      }).then(function (replies) {
        if (sessionId !== self.store.state.sessionId) return null;
        return self.receive(Array.isArray(replies) ? replies : []);
      }, function (failure) {
        if (sessionId !== self.store.state.sessionId) return null;
        self.showError({ payload: payload, messageId: messageId }, failure);
        return null;
      });
    }).then(function (firstReply) {
      self.pending -= 1;
      self.typing.hidden = self.pending === 0;
      if (firstReply) self.reveal(firstReply); else self.scrollToEnd();
    });
  };

  /** Show the bot's messages answering one student message; returns the first one's list item (or null). */
  Widget.prototype.receive = function (replies) {
    var spoken = [];
    var first = null;
    for (var i = 0; i < replies.length; i += 1) {
      var reply = replies[i] || {};
      var text = typeof reply.text === "string" ? reply.text : "";
      var buttons = validButtons(reply.buttons);
      if (!text && !buttons.length) continue;
      var item = this.addMessage({ author: "bot", text: text, buttons: buttons, question: this.lastQuestion() });
      if (!first) first = item;
      if (text) spoken.push(text);
      spoken = spoken.concat(buttons.map(function (b) { return b.title; }));
    }
    if (spoken.length) this.announce(this.text.bot + ": " + spoken.join(" "));
    return first;
  };

  Widget.prototype.lastQuestion = function () {
    var messages = this.store.state.messages;
    for (var i = messages.length - 1; i >= 0; i -= 1) {
      if (messages[i].author === "user") return messages[i].text;
    }
    return null;
  };

  Widget.prototype.showError = function (payload, failure) {
    var self = this;
    this.failed = payload;  // { payload, messageId }: the retry button sends the same message, with its id
    this.error.textContent = "";
    var text = this.text.unreachable;
    if (failure && failure.status === 429) {
      var seconds = failure.retryAfter > 0 ? failure.retryAfter : 60;
      text = this.text.tooMany(seconds);
    }
    this.error.appendChild(element("p", "medchat-error-text", text));
    this.error.appendChild(button("medchat-retry", this.text.retry, function () {
      var again = self.failed;
      if (again === null) return;
      self.input.focus();
      self.deliver(again.payload, again);
    }));
    this.error.hidden = false;
    this.scrollToEnd();
  };

  Widget.prototype.addMessage = function (message) {
    message.time = new Date().toISOString();
    message.id = randomId().slice(0, 12);
    this.store.state.messages.push(message);
    this.store.save();
    // Appended rather than redrawn, so that focus on an earlier message's controls is kept.
    this.log.querySelectorAll(".medchat-choices").forEach(function (choices) { choices.remove(); });
    var item = this.renderMessage(message, true);
    this.log.appendChild(item);
    if (message.author === "user") this.scrollToEnd();
    return item;
  };

  Widget.prototype.renderMessages = function () {
    var messages = this.store.state.messages;
    this.log.textContent = "";
    for (var i = 0; i < messages.length; i += 1) {
      this.log.appendChild(this.renderMessage(messages[i], i === messages.length - 1));
    }
    this.showLatest();
  };

  Widget.prototype.renderMessage = function (message, isLast) {
    var self = this;
    var t = this.text;
    var fromBot = message.author === "bot";
    var item = element("li", "medchat-message " + (fromBot ? "medchat-from-bot" : "medchat-from-user"));
    item.dataset.author = fromBot ? "bot" : "user";
    var meta = element("p", "medchat-meta");
    meta.appendChild(element("span", "medchat-author", fromBot ? t.bot : t.you));
    var time = element("time", "medchat-time", formatTime(message.time, this.options.language));
    time.dateTime = message.time;
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(time);
    item.appendChild(meta);
    if (message.text) {
      var bubble = element("p", "medchat-text");
      bubble.appendChild(richText(String(message.text)));
      item.appendChild(bubble);
    }
    if (fromBot && isLast && message.buttons && message.buttons.length) {
      var choices = element("div", "medchat-choices");
      choices.setAttribute("role", "group");
      choices.setAttribute("aria-label", t.choices);
      message.buttons.forEach(function (choice) {
        choices.appendChild(button("medchat-choice", choice.title, function () {
          self.say(choice.title, choice.payload);
          self.input.focus();
        }));
      });
      item.appendChild(choices);
    }
    if (fromBot && message.text) item.appendChild(this.renderFeedback(message));
    return item;
  };

  Widget.prototype.renderFeedback = function (message) {
    var self = this;
    var t = this.text;
    var bar = element("div", "medchat-feedback");
    var status = element("span", "medchat-feedback-status");
    status.setAttribute("role", "status");
    [["up", t.helpful], ["down", t.unhelpful]].forEach(function (choice) {
      var rating = choice[0];
      var thumb = button("medchat-thumb", null, function () { self.rate(message, rating, bar, status); });
      thumb.appendChild(thumbIcon(rating === "down"));
      thumb.setAttribute("aria-label", choice[1]);
      thumb.setAttribute("aria-pressed", message.rating === rating ? "true" : "false");
      thumb.dataset.rating = rating;
      bar.appendChild(thumb);
    });
    bar.appendChild(status);
    return bar;
  };

  Widget.prototype.rate = function (message, rating, bar, status) {
    var self = this;
    message.rating = rating;
    this.store.save();
    bar.querySelectorAll(".medchat-thumb").forEach(function (thumb) {
      thumb.setAttribute("aria-pressed", thumb.dataset.rating === rating ? "true" : "false");
    });
    status.textContent = "";
    this.request("POST", "/webhooks/rest/feedback", {
      sender: this.store.state.sessionId,
      rating: rating,
      answer: message.text,
      question: typeof message.question === "string" ? message.question : null,
      metadata: this.metadata(),
    }).then(function () {
      status.textContent = self.text.feedbackThanks;
    }, function () {
      status.textContent = self.text.feedbackFailed;
    });
  };

  Widget.prototype.announce = function (text) {
    this.announcer.textContent = text;
  };

  Widget.prototype.scrollToEnd = function () {
    this.body.scrollTop = this.body.scrollHeight;
  };

  /**
   * Scroll so that a reply starting at `first` (a bot message's list item) is read from its first line:
   * to the end when the whole reply fits, else with `first` at the top (the question above scrolls away).
   */
  Widget.prototype.reveal = function (first) {
    if (this.panel.hidden || !first.isConnected) return;
    var area = this.body.getBoundingClientRect().top + this.body.clientTop;
    var top = this.body.scrollTop + first.getBoundingClientRect().top - area;
    var end = this.body.scrollHeight - this.body.clientHeight;
    this.body.scrollTop = Math.max(0, Math.min(end, top - REPLY_TOP_GAP_PX));
  };

  /** The latest reply from its first line (on opening and reloading), or the end when it is still awaited. */
  Widget.prototype.showLatest = function () {
    if (this.panel.hidden) return;
    var first = null;
    for (var item = this.log.lastElementChild; item && item.dataset.author === "bot"; item = item.previousElementSibling) {
      first = item;
    }
    if (first) this.reveal(first); else this.scrollToEnd();
  };

  function start() {
    var script = findScript();
    if (!script) return;
    var options = readOptions(script);
    var stylesheet = document.createElement("link");
    stylesheet.rel = "stylesheet";
    stylesheet.href = options.stylesheet;
    document.head.appendChild(stylesheet);
    var widget = null;
    // Scroll positions are only right once the stylesheet has laid the panel out.
    stylesheet.addEventListener("load", function () { if (widget) widget.showLatest(); });
    var launch = function () { widget = new Widget(options); };
    if (document.body) launch(); else document.addEventListener("DOMContentLoaded", launch);
  }

  start();
})();
