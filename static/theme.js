// Light or dark: the system's preference, unless the user picked the other one with the toggle.
// A classic script in <head>, so the theme is set before the first paint. Only the choice is
// stored: never a token or a key.
(function () {
  "use strict";

  const STORAGE_KEY = "jwt-debugger-theme";
  const root = document.documentElement;
  const system = matchMedia("(prefers-color-scheme: dark)");
  const systemTheme = () => (system.matches ? "dark" : "light");

  function stored() {
    try {
      const value = localStorage.getItem(STORAGE_KEY);
      return value === "light" || value === "dark" ? value : null;
    } catch (err) {
      return null; // storage disabled: follow the system
    }
  }

  // Also kept in memory, so the choice holds for this page even if storage fails.
  let chosen = stored();

  function apply() {
    const theme = chosen || systemTheme();
    root.dataset.theme = theme;
    const button = document.getElementById("theme-toggle");
    if (button) button.setAttribute("aria-pressed", String(theme === "dark"));
    const state = document.getElementById("theme-state");
    if (state) state.textContent = theme === "dark" ? ": on" : ": off";
  }

  function toggle() {
    const next = root.dataset.theme === "dark" ? "light" : "dark";
    // Choosing what the system already prefers means "follow the system" again.
    chosen = next === systemTheme() ? null : next;
    try {
      if (chosen) localStorage.setItem(STORAGE_KEY, chosen);
      else localStorage.removeItem(STORAGE_KEY);
    } catch (err) {
      // Storage disabled: the choice lasts for this page only.
    }
    apply();
  }

  apply();
  system.addEventListener("change", apply);
  // Another tab of the debugger changed the theme.
  addEventListener("storage", function (event) {
    if (event.key !== STORAGE_KEY && event.key !== null) return;
    chosen = stored();
    apply();
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.getElementById("theme-toggle").addEventListener("click", toggle);
    apply();
  });
})();
