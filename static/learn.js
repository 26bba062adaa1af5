// The Learn page: shows which lessons are done (each lesson's step is done in the debugger,
// whose lesson bar records it) and resets the progress.

import { loadDone, onProgressChange, saveDone } from "./progress.js";

const lessons = [...document.querySelectorAll(".lesson")];

function show() {
  const done = loadDone();
  for (const lesson of lessons) {
    lesson.querySelector(".done-mark").hidden = !done.has(lesson.dataset.slug);
  }
  const count = lessons.filter((lesson) => done.has(lesson.dataset.slug)).length;
  document.getElementById("progress").textContent = `${count} of ${lessons.length} lessons done.`;
}

document.getElementById("reset-progress").addEventListener("click", () => {
  saveDone(new Set());
  show();
});
onProgressChange(show);
show();
