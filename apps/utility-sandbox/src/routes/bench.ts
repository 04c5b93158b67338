import type { FastifyInstance } from "fastify";

// Pages for the streaming benchmarks. /bench/typing makes every keystroke change many
// pixels (a big counter, a colour band whose hue follows the count) so that a frame
// showing keystroke n can be told apart from frame n-1 by eye or by pixel diff; the count
// is also in `document.title` ("n=<count>") and `window.__bench`. /bench/animation keeps
// the compositor busy with a requestAnimationFrame loop, to measure frame rate under load.

const TYPING_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>n=0</title><link rel="icon" href="data:,">
<style>
body{margin:0;font-family:Arial,Helvetica,sans-serif;background:#101418;color:#f4f4f4}
#band{height:90px;display:flex;align-items:center;padding:0 24px;gap:24px;background:hsl(0 80% 45%)}
#count{font:700 72px/1 'Courier New',monospace;min-width:5ch}
#last{font:700 56px/1 'Courier New',monospace}
textarea{display:block;box-sizing:border-box;width:calc(100% - 48px);height:calc(100vh - 160px);margin:24px;font-size:40px;line-height:1.25;padding:16px;background:#fff;color:#000;border:4px solid #333}
</style></head>
<body>
<div id="band"><span id="count" data-count="0">0</span><span id="last" aria-label="last key"></span></div>
<textarea id="typing" autofocus spellcheck="false" autocomplete="off" placeholder="Type here"></textarea>
<script>
(() => {
  const area = document.getElementById("typing");
  const count = document.getElementById("count");
  const band = document.getElementById("band");
  const last = document.getElementById("last");
  // Counts characters typed, not the field's length: deleting never lowers the counter.
  const bench = { count: 0, events: [] };
  window.__bench = bench;
  area.addEventListener("input", (event) => {
    const typed = event.inputType === "insertLineBreak" ? 1 : (event.data || "").length;
    if (typed === 0) return;
    bench.count += typed;
    bench.events.push({ n: bench.count, t: performance.now(), data: event.data });
    count.textContent = String(bench.count);
    count.dataset.count = String(bench.count);
    last.textContent = event.data || "⏎";
    band.style.background = "hsl(" + ((bench.count * 47) % 360) + " 80% 45%)";
    document.title = "n=" + bench.count;
  });
  area.focus();
})();
</script>
</body></html>`;

const ANIMATION_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>frame=0</title><link rel="icon" href="data:,">
<style>body{margin:0;background:#0b0e14;overflow:hidden}canvas{display:block;width:100vw;height:100vh}
#frames{position:fixed;top:16px;left:16px;font:700 48px/1 'Courier New',monospace;color:#fff}</style></head>
<body><canvas id="scene"></canvas><div id="frames">0</div>
<script>
(() => {
  const canvas = document.getElementById("scene");
  const label = document.getElementById("frames");
  const ctx = canvas.getContext("2d");
  const bench = { frames: 0 };
  window.__bench = bench;
  function resize() { canvas.width = innerWidth; canvas.height = innerHeight; }
  addEventListener("resize", resize);
  resize();
  function draw(now) {
    bench.frames += 1;
    const w = canvas.width, h = canvas.height, t = now / 1000;
    ctx.fillStyle = "hsl(" + ((t * 40) % 360) + " 40% 12%)";
    ctx.fillRect(0, 0, w, h);
    for (let i = 0; i < 24; i++) {
      const a = t * (0.6 + i * 0.07) + i;
      const x = w / 2 + Math.cos(a) * (w * 0.1 + i * 14);
      const y = h / 2 + Math.sin(a * 1.3) * (h * 0.1 + i * 9);
      ctx.fillStyle = "hsl(" + ((i * 15 + t * 90) % 360) + " 85% 60%)";
      ctx.beginPath(); ctx.arc(x, y, 18 + (i % 5) * 6, 0, Math.PI * 2); ctx.fill();
    }
    ctx.fillStyle = "#fff";
    ctx.fillRect(((t * 300) % (w + 80)) - 80, h - 60, 80, 40);
    label.textContent = String(bench.frames);
    if (bench.frames % 10 === 0) document.title = "frame=" + bench.frames;
    requestAnimationFrame(draw);
  }
  requestAnimationFrame(draw);
})();
</script></body></html>`;

export function registerBench(app: FastifyInstance): void {
  app.get("/bench/typing", async (_request, reply) =>
    reply.type("text/html; charset=utf-8").send(TYPING_PAGE),
  );
  app.get("/bench/animation", async (_request, reply) =>
    reply.type("text/html; charset=utf-8").send(ANIMATION_PAGE),
  );
}
