// The Learn page: checks each lesson's step and keeps which lessons are done in localStorage.
// Only lesson names are stored: never a token, a key or an answer typed in.
const STORAGE_KEY = "jwt-debugger-learn-done";

function loadDone() {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE_KEY) || "[]");
    return new Set(Array.isArray(value) ? value.filter((slug) => typeof slug === "string") : []);
  } catch {
    return new Set();
  }
}

function saveDone(done) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify([...done]));
  } catch {
    // Storage may be off (private windows): progress then lasts as long as the page.
  }
}

const done = loadDone();
const lessons = [...document.querySelectorAll(".lesson")];

function show() {
  for (const lesson of lessons) {
    lesson.querySelector(".done-mark").hidden = !done.has(lesson.dataset.slug);
  }
  const count = lessons.filter((lesson) => done.has(lesson.dataset.slug)).length;
  document.getElementById("progress").textContent = `${count} of ${lessons.length} lessons done.`;
}

function isRight(form) {
  if (form.dataset.answer !== undefined) {
    const picked = form.querySelector("input[type=radio]:checked");
    return picked !== null && picked.value === form.dataset.answer;
  }
  const accepted = JSON.parse(form.dataset.accepted);
  const typed = form.querySelector("input[name=answer]").value.trim().toLowerCase();
  return accepted.includes(typed);
}

for (const lesson of lessons) {
  const form = lesson.querySelector("form.step");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const right = isRight(form);
    form.querySelector(".feedback").textContent = right ? "Right." : "Not quite: try again.";
    form.querySelector(".explanation").hidden = !right;
    if (right) {
      done.add(lesson.dataset.slug);
      saveDone(done);
      show();
    }
  });
}

document.getElementById("reset-progress").addEventListener("click", () => {
  done.clear();
  saveDone(done);
  show();
});
show();
