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

/** The timeline of `time` (the answer's time section), or null when it has fewer than two moments. */
export function timeline(time, skewSeconds) {
  const moments = ["iat", "nbf", "exp"]
    .filter((name) => time[name] && Number.isFinite(time[name].value) && typeof time[name].value === "number")
    .map((name) => ({ name, at: time[name].value, text: time[name].text }));
  if (!moments.some((moment) => moment.name === "exp" || moment.name === "nbf")) return null;
  const all = [...moments, { name: "now", at: time.now, text: `now: ${time.now_utc || ""}` }];
  const leeway = Number(time.leeway) || 0;
  const low = Math.min(...all.map((m) => m.at), time.now - skewSeconds);
  const high = Math.max(...all.map((m) => m.at), time.now + skewSeconds);
  if (!(high > low) || high - low > 1e12) return null; // milliseconds or absurd values: no scale
  // Whole units of the 600-wide drawing: "now" moves a unit every few seconds, not on every answer,
  // so an answer a moment later draws the same nodes and the page keeps the ones it has.
  const x = (at) => Math.round(MARGIN + ((at - low) / (high - low)) * (WIDTH - 2 * MARGIN));
  const figure = document.createElement("figure");
  figure.className = "timeline";
  const svg = svgNode("svg", { viewBox: `0 0 ${WIDTH} 56`, "aria-hidden": "true", focusable: "false" });
  svg.append(svgNode("line", { x1: MARGIN, x2: WIDTH - MARGIN, y1: LINE_Y, y2: LINE_Y, class: "tl-axis" }));
  const nbf = moments.find((m) => m.name === "nbf");
  const exp = moments.find((m) => m.name === "exp");
  const start = nbf ? nbf.at : low;
  const end = exp ? exp.at : high;
  if (end > start) {
    svg.append(svgNode("rect", { x: x(start), y: LINE_Y - 5, width: x(end) - x(start), height: 10, class: "tl-valid" }));
  }
  for (const edge of [exp && [exp.at, exp.at + leeway], nbf && [nbf.at - leeway, nbf.at]].filter(Boolean)) {
    if (leeway > 0) {
      svg.append(svgNode("rect", { x: x(edge[0]), y: LINE_Y - 8, width: Math.max(2, x(edge[1]) - x(edge[0])), height: 16, class: "tl-leeway" }));
    }
  }
  svg.append(svgNode("rect", {
    x: x(time.now - skewSeconds), y: LINE_Y - 12,
    width: Math.max(2, x(time.now + skewSeconds) - x(time.now - skewSeconds)), height: 24, class: "tl-skew",
  }));
  // "now" is labelled below the line, the claims above; claims too close to tell apart share a label.
  const labels = [];
  for (const moment of [...moments].sort((a, b) => a.at - b.at)) {
    const at = x(moment.at);
    const last = labels[labels.length - 1];
    if (last && at - last.at < 32) last.text += "/" + moment.name;
    else labels.push({ at, text: moment.name });
  }
  for (const moment of all) {
    const at = x(moment.at);
    svg.append(svgNode("line", { x1: at, x2: at, y1: LINE_Y - 10, y2: LINE_Y + 10, class: `tl-mark tl-${moment.name}` }));
  }
  for (const label of labels) {
    svg.append(svgNode("text", { x: label.at, y: 12, "text-anchor": "middle", class: "tl-label" }, label.text));
  }
  svg.append(svgNode("text", { x: x(time.now), y: 54, "text-anchor": "middle", class: "tl-label" }, "now"));
  const caption = document.createElement("figcaption");
  caption.className = "visually-hidden";
  const order = [...all].sort((a, b) => a.at - b.at).map((m) => m.name).join(", then ");
  const skew = `The clock-skew window is ${skewSeconds} seconds either side of now`;
  caption.textContent = `Timeline: ${order}. ${leeway ? `Leeway: ${leeway} seconds. ` : ""}${skew}.`;
  figure.append(svg, caption);
  return figure;
}
