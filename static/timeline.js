// The token's life on one line: iat, nbf, now and exp to scale, the leeway shaded and the
// clock-skew window around now marked. An SVG built with DOM calls, with a text equivalent.

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 600;
const LINE_Y = 30;
const MARGIN = 40;

function svgNode(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** What the timeline of `time` (the answer's time section) draws, as data; null for fewer than two moments. */
export function timelinePlan(time, skewSeconds) {
  const moments = ["iat", "nbf", "exp"]
    .filter((name) => time[name] && Number.isFinite(time[name].value) && typeof time[name].value === "number")
    .map((name) => ({ name, at: time[name].value }));
  if (!moments.some((moment) => moment.name === "exp" || moment.name === "nbf")) return null;
  const all = [...moments, { name: "now", at: time.now }];
  const leeway = Number(time.leeway) || 0;
  const low = Math.min(...all.map((m) => m.at), time.now - skewSeconds);
  const high = Math.max(...all.map((m) => m.at), time.now + skewSeconds);
  if (!(high > low) || high - low > 1e12) return null; // milliseconds or absurd values: no scale
  // Whole units: "now" moves one every few seconds, so the next answer draws the same picture.
  const x = (at) => Math.round(MARGIN + ((at - low) / (high - low)) * (WIDTH - 2 * MARGIN));
  const rects = [];
  const nbf = moments.find((m) => m.name === "nbf");
  const exp = moments.find((m) => m.name === "exp");
  const start = nbf ? nbf.at : low;
  const end = exp ? exp.at : high;
  if (end > start) rects.push({ x: x(start), y: LINE_Y - 5, width: x(end) - x(start), height: 10, class: "tl-valid" });
  for (const edge of [exp && [exp.at, exp.at + leeway], nbf && [nbf.at - leeway, nbf.at]].filter(Boolean)) {
    if (leeway > 0) {
      rects.push({ x: x(edge[0]), y: LINE_Y - 8, width: Math.max(2, x(edge[1]) - x(edge[0])), height: 16, class: "tl-leeway" });
    }
  }
  rects.push({
    x: x(time.now - skewSeconds), y: LINE_Y - 12,
    width: Math.max(2, x(time.now + skewSeconds) - x(time.now - skewSeconds)), height: 24, class: "tl-skew",
  });
  // "now" is labelled below the line, the claims above; claims too close to tell apart share a label.
  const labels = [];
  for (const moment of [...moments].sort((a, b) => a.at - b.at)) {
    const at = x(moment.at);
    const last = labels[labels.length - 1];
    if (last && at - last.at < 32) last.text += "/" + moment.name;
    else labels.push({ at, text: moment.name });
  }
  const order = [...all].sort((a, b) => a.at - b.at).map((m) => m.name).join(", then ");
  const skew = `The clock-skew window is ${skewSeconds} seconds either side of now`;
  return {
    rects,
    marks: all.map((moment) => ({ at: x(moment.at), name: moment.name })),
    labels,
    now: x(time.now),
    caption: `Timeline: ${order}. ${leeway ? `Leeway: ${leeway} seconds. ` : ""}${skew}.`,
  };
}

/** The timeline `plan` (from timelinePlan) as a figure: the SVG and its text equivalent. */
export function drawTimeline(plan) {
  const figure = document.createElement("figure");
  figure.className = "timeline";
  const svg = svgNode("svg", { viewBox: `0 0 ${WIDTH} 56`, "aria-hidden": "true", focusable: "false" });
  svg.append(svgNode("line", { x1: MARGIN, x2: WIDTH - MARGIN, y1: LINE_Y, y2: LINE_Y, class: "tl-axis" }));
  for (const rect of plan.rects) svg.append(svgNode("rect", rect));
  for (const { at, name } of plan.marks) {
    svg.append(svgNode("line", { x1: at, x2: at, y1: LINE_Y - 10, y2: LINE_Y + 10, class: `tl-mark tl-${name}` }));
  }
  for (const label of plan.labels) {
    svg.append(svgNode("text", { x: label.at, y: 12, "text-anchor": "middle", class: "tl-label" }, label.text));
  }
  svg.append(svgNode("text", { x: plan.now, y: 54, "text-anchor": "middle", class: "tl-label" }, "now"));
  const caption = document.createElement("figcaption");
  caption.className = "visually-hidden";
  caption.textContent = plan.caption;
  figure.append(svg, caption);
  return figure;
}
