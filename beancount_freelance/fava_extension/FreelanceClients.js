// @ts-check
// The Clients page's what-if selector: fetch one active client's replacement
// for the current filters and show it in words. Every string from the ledger is
// set with textContent, never parsed as HTML.

/**
 * What Fava passes to an extension's hooks (see Fava's frontend/src/extension-api).
 * @typedef {{ api: { get(endpoint: string, params: Record<string, string>): Promise<unknown> } }} ExtensionContext
 */

/** Fava's filters that the analysis follows; copied from the page's URL. */
const FILTER_PARAMS = ["time", "account", "filter", "conversion", "interval"];

/** @returns {Record<string, string>} */
function currentFilters() {
  const search = new URLSearchParams(window.location.search);
  /** @type {Record<string, string>} */
  const params = {};
  for (const name of FILTER_PARAMS) {
    const value = search.get(name);
    if (value) {
      params[name] = value;
    }
  }
  return params;
}

/**
 * @param {string} tag
 * @param {string} text
 * @param {string} [className]
 */
function element(tag, text, className) {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className) {
    node.className = className;
  }
  return node;
}

/**
 * @param {HTMLElement} result
 * @param {unknown} data
 */
function showWhatIf(result, data) {
  if (typeof data !== "object" || data === null) {
    // The page's words, in its language (data attributes of the template).
    const said = result.dataset.noAnswer ?? "No answer from the server.";
    result.replaceChildren(element("p", said, "freelance-message error"));
    return;
  }
  const answer = /** @type {{error?: string, heading?: string, sentences?: string[]}} */ (data);
  if (answer.error) {
    result.replaceChildren(element("p", String(answer.error), "freelance-message error"));
    return;
  }
  const sentences = (answer.sentences ?? []).map((s) => element("p", String(s)));
  result.replaceChildren(element("h4", String(answer.heading ?? "")), ...sentences);
}

/**
 * @param {ExtensionContext} ctx
 * @param {string} clientId
 * @param {HTMLElement} result
 */
async function loadWhatIf(ctx, clientId, result) {
  result.dataset.client = clientId;
  if (!clientId) {
    result.replaceChildren();
    return;
  }
  result.setAttribute("aria-busy", "true");
  try {
    const data = await ctx.api.get("what_if", { ...currentFilters(), client: clientId });
    // A slower answer for an earlier choice must not replace the current one.
    if (result.dataset.client === clientId) {
      showWhatIf(result, data);
    }
  } catch (error) {
    result.replaceChildren(
      element(
        "p",
        `${result.dataset.couldNotLoad ?? "Could not load the what-if:"} ${String(error)}`,
        "freelance-message error",
      ),
    );
  } finally {
    result.removeAttribute("aria-busy");
  }
}

/**
 * A reminder's words, fetched the first time its <details> is opened.
 * @param {ExtensionContext} ctx
 * @param {HTMLDetailsElement} details
 * @param {HTMLElement} box the reminders' container, with the page's words
 */
async function loadReminder(ctx, details, box) {
  const text = details.querySelector(".freelance-reminder-text");
  if (!(text instanceof HTMLElement) || details.dataset.loaded) {
    return;
  }
  details.dataset.loaded = "1";
  text.setAttribute("aria-busy", "true");
  try {
    const client = details.dataset.client ?? "";
    const data = await ctx.api.get("reminder", { ...currentFilters(), client });
    const answer = /** @type {{subject?: string, body?: string, error?: string}} */ (data ?? {});
    text.textContent = answer.error
      ? String(answer.error)
      : `${String(answer.subject ?? "")}\n\n${String(answer.body ?? "")}`;
  } catch (error) {
    delete details.dataset.loaded;
    text.textContent = `${box.dataset.couldNotLoad ?? "Could not load the reminder:"} ${String(error)}`;
  } finally {
    text.removeAttribute("aria-busy");
  }
}

/**
 * "Who pays late": open a reminder to read it, copy its words.
 * @param {ExtensionContext} ctx
 */
function setUpReminders(ctx) {
  const box = document.getElementById("freelance-reminders");
  if (!box) {
    return;
  }
  for (const details of box.querySelectorAll("details.freelance-reminder")) {
    if (!(details instanceof HTMLDetailsElement)) {
      continue;
    }
    details.addEventListener("toggle", () => {
      if (details.open) {
        void loadReminder(ctx, details, box);
      }
    });
    const copy = details.querySelector(".freelance-reminder-copy");
    const text = details.querySelector(".freelance-reminder-text");
    copy?.addEventListener("click", () => {
      const words = text?.textContent ?? "";
      void navigator.clipboard?.writeText(words).then(() => {
        copy.textContent = box.dataset.copied ?? "Copied.";
      });
    });
  }
}

export default {
  /** @param {ExtensionContext} ctx */
  onExtensionPageLoad(ctx) {
    setUpReminders(ctx);
    const select = document.getElementById("freelance-what-if");
    const result = document.getElementById("freelance-what-if-result");
    if (!(select instanceof HTMLSelectElement) || !result) {
      return;
    }
    select.addEventListener("change", () => {
      void loadWhatIf(ctx, select.value, result);
    });
    select.form?.addEventListener("submit", (event) => {
      event.preventDefault();
      void loadWhatIf(ctx, select.value, result);
    });
  },
};
