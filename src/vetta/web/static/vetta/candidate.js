/*
 * The candidate's workspace and results pages.
 *
 * - Editors: CodeMirror 6 from static/vendor/codemirror/vetta-editor.js (global VettaEditor).
 * - Autosave: one second after the last keystroke, each file is sent with the revision it was
 *   based on; the server refuses a stale revision (another window saved newer work). Every change
 *   is also kept in localStorage until the server has it, and offered back on reload.
 * - Time: the server's `seconds_left`, refreshed by polling, counted down with the monotonic
 *   performance clock. The client's wall clock is never used, and the server refuses late edits.
 * - Status: a small JSON endpoint is polled (every 2 s while something is being graded).
 */
(function () {
  "use strict";

  const SAVE_DELAY_MS = 1000;
  const FAST_POLL_MS = 2000;
  const SLOW_POLL_MS = 10000;
  const RUN_POLL_MS = 1500;

  // --- HTTP ------------------------------------------------------------------------------------

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) return meta.content;
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  class Offline extends Error {}

  /** Resolves to {ok, status, data, retryAfter}; throws Offline when the server cannot be reached. */
  async function api(url, options) {
    const opts = options || {};
    const headers = { Accept: "application/json", "X-CSRFToken": csrfToken() };
    let body = opts.body;
    if (opts.json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(opts.json);
    }
    let response;
    try {
      response = await fetch(url, {
        method: opts.method || "GET",
        headers,
        body,
        credentials: "same-origin",
        cache: "no-store",
      });
    } catch (error) {
      throw new Offline(String(error));
    }
    if (response.status >= 500) throw new Offline(`the server answered ${response.status}`);
    let data;
    try {
      data = await response.json();
    } catch (error) {
      data = {
        error:
          response.status === 403
            ? "Your session has expired or this page is out of date. Reload the page; your work is kept in this browser."
            : `The server answered ${response.status}.`,
      };
    }
    const retry = Number(response.headers.get("Retry-After"));
    return { ok: response.ok, status: response.status, data, retryAfter: retry > 0 ? retry : null };
  }

  function formatSeconds(total) {
    const s = Math.max(0, Math.floor(total));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = s % 60;
    const two = (n) => String(n).padStart(2, "0");
    return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${two(m)}:${two(sec)}`;
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Arrow keys move between tabs, as the WAI-ARIA tabs pattern describes. */
  function tabKeys(list, select) {
    list.addEventListener("keydown", (event) => {
      const tabs = [...list.querySelectorAll('[role="tab"]')];
      const index = tabs.indexOf(document.activeElement);
      if (index < 0) return;
      let next = null;
      if (event.key === "ArrowRight") next = tabs[(index + 1) % tabs.length];
      if (event.key === "ArrowLeft") next = tabs[(index - 1 + tabs.length) % tabs.length];
      if (event.key === "Home") next = tabs[0];
      if (event.key === "End") next = tabs[tabs.length - 1];
      if (next) {
        event.preventDefault();
        select(next);
        next.focus();
      }
    });
  }

  // --- Status polling (workspace and results) --------------------------------------------------

  class StatusPoller {
    constructor(url, onUpdate, options) {
      this.url = url;
      this.onUpdate = onUpdate;
      this.stopWhenSettled = !!(options && options.stopWhenSettled);
      this.known = new Set(
        [...document.querySelectorAll(".feedback-card[data-run]")].map((n) => n.dataset.run)
      );
      this.timer = null;
      this.busy = false;
      this.fast = true;
    }

    start() {
      this.poll();
    }

    soon() {
      this.fast = true;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.poll(), 300);
    }

    async poll() {
      if (this.busy) return;
      this.busy = true;
      clearTimeout(this.timer);
      try {
        const known = [...this.known].join(",");
        const answer = await api(`${this.url}?known=${encodeURIComponent(known)}`);
        if (answer.ok) {
          this.apply(answer.data);
          this.fast = answer.data.items.some((i) => i.status === "queued" || i.status === "grading");
          if (this.onUpdate) this.onUpdate(answer.data);
        }
      } catch (error) {
        if (!(error instanceof Offline)) throw error;
      } finally {
        this.busy = false;
        if (this.fast || !this.stopWhenSettled) {
          this.timer = setTimeout(() => this.poll(), this.fast ? FAST_POLL_MS : SLOW_POLL_MS);
        }
      }
    }

    apply(data) {
      for (const item of data.items) {
        document.querySelectorAll(`[data-status-for="${item.id}"]`).forEach((badge) => {
          badge.dataset.status = item.status;
          badge.textContent = item.label;
        });
        document.querySelectorAll(`[data-submission-for="${item.id}"]`).forEach((node) => {
          node.textContent = item.submission ? `submission ${item.submission}` : "";
        });
        if (item.feedback_html !== undefined) {
          const box = document.querySelector(`[data-item="${item.id}"] .feedback`);
          if (box) box.innerHTML = item.feedback_html;
          this.known.add(item.run);
        }
      }
    }
  }

  // --- Workspace -------------------------------------------------------------------------------

  class Workspace {
    constructor(root) {
      this.root = root;
      this.config = JSON.parse(document.getElementById("ws-config").textContent);
      this.files = []; // editable files of every exercise
      this.closed = false;
      this.saveState = document.getElementById("save-state");
      this.countdown = document.getElementById("countdown");
      this.alertBox = document.getElementById("ws-alert");
      this.warned = new Set();
      this.exercises = [...root.querySelectorAll("section.exercise")].map((section) => {
        const id = section.dataset.item;
        const data = JSON.parse(document.getElementById(`exercise-data-${id}`).textContent);
        return this.setUpExercise(section, data);
      });
      this.setUpExerciseTabs();
      this.setUpDialogs();
      this.setClock(this.config.secondsLeft);
      setInterval(() => this.tick(), 500);
      this.poller = new StatusPoller(this.config.statusUrl, (data) => this.onStatus(data));
      this.poller.start();
      this.offerRestore();
      window.addEventListener("beforeunload", (event) => {
        if (this.files.some((f) => f.dirty) && !this.closed && !this.finishing) event.preventDefault();
      });
      window.addEventListener("online", () => this.files.filter((f) => f.dirty).forEach((f) => this.save(f)));
    }

    storageKey(exercise, path) {
      return `vetta:${this.config.attempt}:${exercise.id}:${path}`;
    }

    // Exercises, files, editors.

    setUpExercise(section, data) {
      const exercise = {
        id: data.id,
        title: data.title,
        urls: data.urls,
        section,
        tabs: section.querySelector(".file-tabs"),
        panes: section.querySelector(".editor-panes"),
        message: section.querySelector(".action-message"),
        files: [],
        readers: [],
      };
      for (const file of data.editable) this.addEditable(exercise, file);
      for (const file of data.readOnly) this.addReadOnly(exercise, file);
      if (exercise.tabs.firstElementChild) this.selectFile(exercise, exercise.tabs.firstElementChild);
      tabKeys(exercise.tabs, (tab) => this.selectFile(exercise, tab));

      const runButton = section.querySelector('[data-action="public-tests"]');
      if (runButton) runButton.addEventListener("click", () => this.runPublicTests(exercise, runButton));
      section.querySelector('[data-action="submit"]').addEventListener("click", () => this.confirmSubmit(exercise));
      const newFile = section.querySelector("form.new-file");
      if (newFile) newFile.addEventListener("submit", (event) => this.newFile(event, exercise, newFile));
      const upload = section.querySelector("form.upload");
      if (upload) upload.addEventListener("submit", (event) => this.upload(event, exercise, upload));
      if (data.running) this.followRun(exercise, `${exercise.urls.publicTests}${data.running}/`, runButton);
      return exercise;
    }

    addTab(exercise, path, label) {
      const n = exercise.tabs.children.length;
      const tab = el("button", {
        type: "button",
        role: "tab",
        id: `file-tab-${exercise.id}-${n}`,
        "aria-controls": `file-pane-${exercise.id}-${n}`,
        "aria-selected": "false",
        tabindex: "-1",
        "data-path": path,
      });
      tab.append(document.createTextNode(path));
      if (label) tab.append(" ", el("span", { class: "ro" }, label));
      tab.addEventListener("click", () => this.selectFile(exercise, tab));
      exercise.tabs.append(tab);
      const pane = el("div", {
        class: "editor-pane",
        role: "tabpanel",
        id: `file-pane-${exercise.id}-${n}`,
        "aria-labelledby": tab.id,
        "data-path": path,
      });
      pane.hidden = true;
      exercise.panes.append(pane);
      return { tab, pane };
    }

    addEditable(exercise, file) {
      const { tab, pane } = this.addTab(exercise, file.path, "");
      const state = {
        exercise,
        path: file.path,
        revision: file.revision,
        serverContent: file.content,
        dirty: false,
        applying: false,
        timer: null,
        chain: Promise.resolve(),
        backoff: 0,
        tab,
        pane,
      };
      state.editor = VettaEditor.create(pane, {
        doc: file.content,
        path: file.path,
        label: `${file.path} (editable)`,
        readOnly: this.closed,
        onChange: () => this.changed(state),
      });
      exercise.files.push(state);
      this.files.push(state);
      return state;
    }

    addReadOnly(exercise, file) {
      const { pane } = this.addTab(exercise, file.path, `(${file.kind}, read-only)`);
      if (file.truncated) {
        pane.append(
          el("p", { class: "pane-note" }, `Showing the beginning of this file (it has ${file.size.toLocaleString()} bytes).`)
        );
      }
      const editor = VettaEditor.create(pane, {
        doc: file.content,
        path: file.path,
        label: `${file.path} (read-only)`,
        readOnly: true,
      });
      exercise.readers.push(editor);
    }

    selectFile(exercise, tab) {
      for (const other of exercise.tabs.querySelectorAll('[role="tab"]')) {
        const selected = other === tab;
        other.setAttribute("aria-selected", String(selected));
        other.tabIndex = selected ? 0 : -1;
        document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
      }
      const file = exercise.files.find((f) => f.tab === tab);
      if (file) file.editor.view.requestMeasure();
    }

    setUpExerciseTabs() {
      const list = this.root.querySelector(".exercise-tabs");
      if (!list) return;
      const select = (tab) => {
        for (const other of list.querySelectorAll('[role="tab"]')) {
          const selected = other === tab;
          other.setAttribute("aria-selected", String(selected));
          other.tabIndex = selected ? 0 : -1;
          document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
        }
      };
      list.querySelectorAll('[role="tab"]').forEach((tab) => tab.addEventListener("click", () => select(tab)));
      tabKeys(list, select);
    }

    // Autosave.

    changed(file) {
      if (file.applying) return;
      file.dirty = true;
      file.tab.classList.add("dirty");
      this.keepLocally(file);
      clearTimeout(file.timer);
      file.timer = setTimeout(() => this.save(file), SAVE_DELAY_MS);
      this.showSaveState();
    }

    keepLocally(file) {
      try {
        localStorage.setItem(
          this.storageKey(file.exercise, file.path),
          JSON.stringify({ content: file.editor.getValue(), base: file.revision, at: Date.now() })
        );
      } catch (error) {
        // Storage full or disabled: the server copy is still saved every second.
      }
    }

    forgetLocally(file) {
      try {
        localStorage.removeItem(this.storageKey(file.exercise, file.path));
      } catch (error) {
        // Nothing to forget.
      }
    }

    /** Queues one save of the file; saves of one file never overlap. */
    save(file) {
      clearTimeout(file.timer);
      file.chain = file.chain.then(() => this.saveNow(file));
      return file.chain;
    }

    async saveNow(file) {
      if (!file.dirty || this.closed) return;
      const content = file.editor.getValue();
      file.saving = true;
      this.showSaveState();
      let answer;
      try {
        answer = await api(file.exercise.urls.save, {
          method: "POST",
          json: { path: file.path, content, base_revision: file.revision },
        });
      } catch (error) {
        if (!(error instanceof Offline)) throw error;
        file.saving = false;
        file.offline = true;
        file.backoff = Math.min(30000, (file.backoff || 1000) * 2);
        file.timer = setTimeout(() => this.save(file), file.backoff);
        if (this.poller) this.poller.fast = true; // notice soon when the server is back
        this.showSaveState();
        return;
      }
      file.saving = false;
      file.offline = false;
      file.backoff = 0;
      if (answer.ok) {
        file.revision = answer.data.revision;
        file.serverContent = content;
        file.error = null;
        if (file.editor.getValue() === content) {
          file.dirty = false;
          file.tab.classList.remove("dirty");
          this.forgetLocally(file);
        } else {
          file.timer = setTimeout(() => this.save(file), SAVE_DELAY_MS);
        }
      } else if (answer.data.closed) {
        this.timeUp();
      } else if (answer.data.conflict) {
        this.conflict(file, answer.data);
      } else {
        file.error = answer.data.error;
      }
      this.showSaveState();
    }

    conflict(file, data) {
      file.error = data.error;
      const box = this.alertBox;
      box.dataset.kind = "conflict";
      box.replaceChildren(
        el(
          "p",
          {},
          `${file.path} was saved from another window or tab since this one loaded it. ` +
            "Choose which version to keep:"
        )
      );
      const actions = el("p", { class: "actions" });
      const load = el("button", { type: "button", class: "button button-quiet" }, "Load the saved version");
      const keep = el("button", { type: "button", class: "button" }, "Keep what is in this window");
      load.addEventListener("click", () => {
        file.revision = data.revision;
        file.applying = true;
        file.editor.setValue(data.content || "");
        file.applying = false;
        file.serverContent = data.content || "";
        file.dirty = false;
        file.error = null;
        file.tab.classList.remove("dirty");
        this.forgetLocally(file);
        box.hidden = true;
        this.showSaveState();
      });
      keep.addEventListener("click", () => {
        file.revision = data.revision;
        file.error = null;
        box.hidden = true;
        this.save(file);
      });
      actions.append(load, keep);
      box.append(actions);
      box.hidden = false;
    }

    showSaveState() {
      let state = "saved";
      let text = "All work saved";
      if (this.closed) {
        state = "error";
        text = "Time is up: changes are no longer saved";
      } else if (this.files.some((f) => f.error)) {
        const failing = this.files.find((f) => f.error);
        state = "error";
        text = `Not saved: ${failing.error}`;
      } else if (this.files.some((f) => f.offline)) {
        state = "offline";
        text = "Offline — will retry; your work is kept in this browser";
      } else if (this.files.some((f) => f.saving || f.dirty)) {
        state = "saving";
        text = "Saving…";
      }
      this.saveState.dataset.state = state;
      if (this.saveState.textContent !== text) this.saveState.textContent = text;
    }

    /** Saves every changed file of the exercise; true when the server has them all. */
    async flush(exercise) {
      await Promise.all(exercise.files.filter((f) => f.dirty).map((f) => this.save(f)));
      return !exercise.files.some((f) => f.dirty);
    }

    offerRestore() {
      const found = [];
      for (const file of this.files) {
        let local = null;
        try {
          local = JSON.parse(localStorage.getItem(this.storageKey(file.exercise, file.path)) || "null");
        } catch (error) {
          local = null;
        }
        if (!local || typeof local.content !== "string") continue;
        // Newer than the server's copy: typed on top of the revision the server still has.
        if (local.content !== file.serverContent && local.base >= file.revision) {
          found.push({ file, local });
        } else {
          this.forgetLocally(file);
        }
      }
      if (!found.length) return;
      const banner = document.getElementById("restore-banner");
      const when = new Date(Math.max(...found.map((f) => f.local.at))).toLocaleTimeString();
      document.getElementById("restore-text").textContent =
        `This browser kept changes that did not reach the server (last typed at ${when}): ` +
        `${found.map((f) => f.file.path).join(", ")}. Restore them?`;
      banner.hidden = false;
      document.getElementById("restore-yes").addEventListener("click", () => {
        for (const { file, local } of found) file.editor.setValue(local.content); // saves them
        banner.hidden = true;
      });
      document.getElementById("restore-no").addEventListener("click", () => {
        for (const { file } of found) this.forgetLocally(file);
        banner.hidden = true;
      });
    }

    // Public tests, new files, uploads, submissions.

    say(exercise, text, isError) {
      exercise.message.textContent = text;
      exercise.message.classList.toggle("error", !!isError);
    }

    async runPublicTests(exercise, button) {
      button.disabled = true;
      this.say(exercise, "Saving your files…");
      try {
        if (!(await this.flush(exercise))) {
          this.say(exercise, "Your latest changes are not saved yet, so the tests cannot run on them. Try again in a moment.", true);
          button.disabled = false;
          return;
        }
        const answer = await api(exercise.urls.publicTests, { method: "POST" });
        if (answer.status === 429) {
          const wait = answer.retryAfter ? ` You can run them again in ${formatSeconds(answer.retryAfter)}.` : "";
          this.say(exercise, `${answer.data.error}${wait}`, true);
          button.disabled = false;
          return;
        }
        if (!answer.ok) {
          if (answer.data.closed) this.timeUp();
          this.say(exercise, answer.data.error, true);
          button.disabled = false;
          return;
        }
        this.say(exercise, "");
        exercise.section.querySelector(".pt-results").innerHTML = answer.data.html;
        this.followRun(exercise, `${exercise.urls.publicTests}${answer.data.run}/`, button);
      } catch (error) {
        if (!(error instanceof Offline)) throw error;
        this.say(exercise, "The server cannot be reached; try again when you are back online.", true);
        button.disabled = false;
      }
    }

    followRun(exercise, url, button) {
      if (button) button.disabled = true;
      const poll = async () => {
        let answer = null;
        try {
          answer = await api(url);
        } catch (error) {
          if (!(error instanceof Offline)) throw error;
        }
        if (answer && answer.ok) {
          exercise.section.querySelector(".pt-results").innerHTML = answer.data.html;
          if (answer.data.status === "done" || answer.data.status === "failed") {
            if (button && !this.closed) button.disabled = false;
            return;
          }
        } else if (answer) {
          if (button && !this.closed) button.disabled = false;
          return;
        }
        setTimeout(poll, RUN_POLL_MS);
      };
      setTimeout(poll, RUN_POLL_MS);
    }

    async newFile(event, exercise, form) {
      event.preventDefault();
      const input = form.querySelector("input[name=path]");
      const path = input.value.trim();
      if (!path) return;
      const existing = exercise.files.find((f) => f.path === path);
      if (existing) {
        this.selectFile(exercise, existing.tab);
        return;
      }
      const file = this.addEditable(exercise, { path, content: "", revision: null });
      file.dirty = true;
      await this.save(file);
      if (file.error) {
        this.say(exercise, file.error, true);
        this.dropFile(exercise, file);
      } else {
        input.value = "";
        this.say(exercise, `${path} added.`);
        this.selectFile(exercise, file.tab);
      }
      this.showSaveState();
    }

    dropFile(exercise, file) {
      file.tab.remove();
      file.pane.remove();
      exercise.files = exercise.files.filter((f) => f !== file);
      this.files = this.files.filter((f) => f !== file);
      if (exercise.tabs.firstElementChild) this.selectFile(exercise, exercise.tabs.firstElementChild);
    }

    async upload(event, exercise, form) {
      event.preventDefault();
      const input = form.querySelector("input[type=file]");
      if (!input.files.length) {
        this.say(exercise, "Choose a file to upload first.", true);
        return;
      }
      const body = new FormData();
      body.append("file", input.files[0]);
      this.say(exercise, "Uploading…");
      let answer;
      try {
        answer = await api(exercise.urls.upload, { method: "POST", body });
      } catch (error) {
        if (!(error instanceof Offline)) throw error;
        this.say(exercise, "The server cannot be reached; try again when you are back online.", true);
        return;
      }
      if (!answer.ok) {
        if (answer.data.closed) this.timeUp();
        this.say(exercise, answer.data.error, true);
        return;
      }
      let last = null;
      for (const saved of answer.data.files) {
        let file = exercise.files.find((f) => f.path === saved.path);
        if (!file) {
          file = this.addEditable(exercise, saved);
        } else {
          file.applying = true;
          file.editor.setValue(saved.content);
          file.applying = false;
          file.revision = saved.revision;
          file.serverContent = saved.content;
          file.dirty = false;
          file.tab.classList.remove("dirty");
          this.forgetLocally(file);
        }
        last = file;
      }
      form.reset();
      if (last) this.selectFile(exercise, last.tab);
      this.say(exercise, `Uploaded: ${answer.data.files.map((f) => f.path).join(", ")}.`);
    }

    confirmSubmit(exercise) {
      const dialog = document.getElementById("confirm-submit");
      dialog.querySelector("[data-title]").textContent = exercise.title;
      dialog.dataset.item = exercise.id;
      dialog.showModal();
    }

    async submit(exercise) {
      const button = exercise.section.querySelector('[data-action="submit"]');
      button.disabled = true;
      this.say(exercise, "Saving and submitting…");
      try {
        if (!(await this.flush(exercise))) {
          this.say(exercise, "Your latest changes are not saved yet, so they cannot be submitted. Try again in a moment.", true);
          return;
        }
        const answer = await api(exercise.urls.submit, { method: "POST" });
        if (!answer.ok) {
          if (answer.data.closed) this.timeUp();
          this.say(exercise, answer.data.error, true);
          return;
        }
        this.say(exercise, `Submission ${answer.data.submission} handed in; it is queued for grading.`);
        this.poller.soon();
      } catch (error) {
        if (!(error instanceof Offline)) throw error;
        this.say(exercise, "The server cannot be reached; nothing was submitted. Try again when you are back online.", true);
      } finally {
        if (!this.closed) button.disabled = false;
      }
    }

    setUpDialogs() {
      const submitDialog = document.getElementById("confirm-submit");
      submitDialog.querySelector("[data-confirm]").addEventListener("click", () => {
        submitDialog.close();
        const exercise = this.exercises.find((e) => String(e.id) === submitDialog.dataset.item);
        if (exercise) this.submit(exercise);
      });
      const finishDialog = document.getElementById("confirm-finish");
      document.getElementById("finish-open").addEventListener("click", () => finishDialog.showModal());
      for (const dialog of [submitDialog, finishDialog]) {
        dialog.querySelector("[data-cancel]").addEventListener("click", () => dialog.close());
      }
      const form = document.getElementById("finish-form");
      form.addEventListener("submit", (event) => {
        this.finishing = true; // the unload warning is not wanted now
        if (!this.files.some((f) => f.dirty)) return;
        // Save the last keystrokes first. The form is sent from a fresh task: a submission
        // requested while its submit event is still being dispatched is ignored by browsers.
        event.preventDefault();
        Promise.all(this.exercises.map((e) => this.flush(e))).then(() =>
          setTimeout(() => form.submit(), 0)
        );
      });
    }

    // Time.

    setClock(secondsLeft) {
      if (secondsLeft === null || secondsLeft === undefined) return;
      this.clockBase = secondsLeft;
      this.clockAt = performance.now();
    }

    remaining() {
      return Math.max(0, this.clockBase - (performance.now() - this.clockAt) / 1000);
    }

    tick() {
      const left = this.remaining();
      this.countdown.textContent = formatSeconds(left);
      this.countdown.parentElement.classList.toggle("low", left < 300);
      for (const mark of [300, 60]) {
        if (left <= mark && left > 0 && !this.warned.has(mark)) {
          this.warned.add(mark);
          if (this.alertBox.hidden || this.alertBox.dataset.kind === "time") {
            this.alertBox.dataset.kind = "time";
            this.alertBox.replaceChildren(
              el("p", {}, `${mark / 60} minute${mark > 60 ? "s" : ""} left. Submit what you want graded.`)
            );
            this.alertBox.hidden = false;
          }
        }
      }
      if (left <= 0 && !this.closed) this.timeUp();
    }

    onStatus(data) {
      this.setClock(data.seconds_left);
      // The server answers again (after a restart, say): send what is waiting without delay.
      this.files.filter((f) => f.offline).forEach((f) => this.save(f));
      if (data.status === "finished") {
        window.location.assign(this.config.resultsUrl);
      } else if (data.seconds_left === 0) {
        this.timeUp();
      }
    }

    timeUp() {
      if (this.closed) return;
      this.closed = true;
      this.setClock(0);
      for (const file of this.files) {
        clearTimeout(file.timer);
        file.editor.setReadOnly(true);
      }
      this.root
        .querySelectorAll('[data-action], form.new-file button, form.upload button, #finish-open')
        .forEach((button) => (button.disabled = true));
      document.getElementById("time-up").hidden = false;
      if (this.alertBox.dataset.kind === "time") this.alertBox.hidden = true;
      this.showSaveState();
    }
  }

  // --- Start -----------------------------------------------------------------------------------

  const workspace = document.getElementById("workspace");
  if (workspace) {
    window.vettaWorkspace = new Workspace(workspace);
  }
  const results = document.getElementById("results");
  if (results) {
    // Polls while something is queued or grading, then stops: nothing more will change.
    new StatusPoller(results.dataset.statusUrl, null, { stopWhenSettled: true }).start();
  }
})();
