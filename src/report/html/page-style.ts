/** The report's only stylesheet, inlined: system fonts, no web fonts or images, a print layout. */
export const PAGE_CSS = `
:root{--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;--flaky:#9a6700;--flaky-bg:#fff8c5;--skip:#6e7781;--skip-bg:#eaeef2;
--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--card:#fff;--accent:#0969da;--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
code,pre,.mono{font-family:var(--mono);font-size:12.5px}
header.top{background:#24292f;color:#fff;padding:16px 28px}
header.top h1{margin:0;font-size:20px;display:flex;align-items:center;gap:12px;flex-wrap:wrap}
header.top .meta{color:#c9d1d9;font-size:13px;margin-top:4px}
header.top .meta code{color:#fff}
.chips{display:flex;gap:8px;flex-wrap:wrap;margin-top:10px}
.chip{border-radius:999px;padding:2px 10px;font-size:13px;font-weight:600;background:#fff;color:var(--fg)}
.pill{display:inline-block;min-width:52px;text-align:center;border-radius:6px;padding:0 6px;font-size:11.5px;font-weight:700;letter-spacing:.04em;text-transform:uppercase;border:1px solid transparent}
.pill.pass,.chip.pass{color:var(--pass);background:var(--pass-bg)}.pill.fail,.chip.fail{color:var(--fail);background:var(--fail-bg)}
.pill.flaky,.chip.flaky{color:var(--flaky);background:var(--flaky-bg)}.pill.skip,.chip.skip{color:var(--skip);background:var(--skip-bg)}
.pill.big{font-size:13px;padding:2px 10px}
nav.toolbar{position:sticky;top:0;z-index:5;background:var(--card);border-bottom:1px solid var(--line);padding:8px 28px;display:flex;gap:8px;align-items:center;flex-wrap:wrap}
nav.toolbar input{flex:1 1 260px;max-width:420px;padding:5px 10px;border:1px solid var(--line);border-radius:6px;font:inherit}
nav.toolbar button{font:inherit;font-size:13px;border:1px solid var(--line);background:var(--bg);border-radius:6px;padding:4px 10px;cursor:pointer;color:var(--muted)}
nav.toolbar button[aria-pressed=true]{background:var(--card);color:var(--fg);font-weight:600;box-shadow:inset 0 -2px 0 currentColor}
nav.toolbar button[data-toggle=fail][aria-pressed=true]{color:var(--fail)}nav.toolbar button[data-toggle=pass][aria-pressed=true]{color:var(--pass)}
nav.toolbar button[data-toggle=flaky][aria-pressed=true]{color:var(--flaky)}
nav.toolbar .links{margin-left:auto;font-size:13px;display:flex;gap:14px}
main{max-width:1240px;margin:0 auto;padding:20px 28px 60px}
h2{font-size:17px;margin:28px 0 10px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin-bottom:14px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.03em}
table.matrix td,table.matrix th{text-align:center}table.matrix td:first-child,table.matrix th:first-child{text-align:left}
table.matrix td.cell a{display:block;border-radius:6px;padding:4px 6px;font-weight:600;font-size:13px;color:inherit}
td.cell.pass a{background:var(--pass-bg);color:var(--pass)}td.cell.fail a{background:var(--fail-bg);color:var(--fail)}
td.cell.flaky a{background:var(--flaky-bg);color:var(--flaky)}td.cell.skip a{background:var(--skip-bg);color:var(--skip)}
td.cell.none{color:#afb8c1}
.errors{border-left:4px solid var(--fail)}.errors li{margin:4px 0}
section.scenario{background:var(--card);border:1px solid var(--line);border-left:5px solid var(--skip);border-radius:8px;margin-bottom:16px}
section.scenario.fail{border-left-color:var(--fail)}section.scenario.pass{border-left-color:var(--pass)}section.scenario.flaky{border-left-color:var(--flaky)}
section.scenario>header{padding:12px 18px;border-bottom:1px solid var(--line)}
section.scenario>header h3{margin:0;font-size:15.5px;display:flex;gap:10px;align-items:center;flex-wrap:wrap}
.tag{font-size:12px;font-weight:500;color:var(--muted);border:1px solid var(--line);border-radius:999px;padding:0 8px}
.dur{font-size:12px;color:var(--muted);font-weight:400;margin-left:auto}
.summary{margin:4px 0 0;color:var(--muted)}
.reason{color:var(--fail);margin:4px 0 0;white-space:pre-wrap;word-break:break-word}.skip .reason,.check.skip .reason{color:var(--skip)}.check.flaky .reason{color:var(--flaky)}.check.pass .reason{color:var(--muted,#4b5563)}
.sbody{padding:6px 18px 14px}
.sbody>details>summary{cursor:pointer;color:var(--muted);font-weight:600;font-size:13px;margin:8px 0}
.topo svg{max-width:100%;height:auto;border:1px solid var(--line);border-radius:6px;background:#fbfcfd}
article.check{border:1px solid var(--line);border-radius:6px;margin:8px 0;background:var(--card)}
article.check>details>summary{list-style:none;cursor:pointer;padding:8px 12px}
article.check>details>summary::-webkit-details-marker{display:none}
article.check .head{display:flex;gap:10px;align-items:center;flex-wrap:wrap}
article.check .name{font-weight:600}
article.check .expect{color:var(--muted);font-size:13px;margin-top:2px}
section.scenario,article.check,h2{scroll-margin-top:64px}
article.check.flash{outline:3px solid var(--accent);outline-offset:2px}
.evidence{padding:4px 12px 12px;border-top:1px dashed var(--line)}
.ev{margin-top:10px}
.ev .label{font-size:12px;color:var(--muted);margin-bottom:3px}
.ev .label b{color:var(--fg)}
.cmdline{background:#24292f;color:#f0f3f6;border-radius:6px 6px 0 0;padding:6px 10px;font-family:var(--mono);font-size:12.5px;white-space:pre-wrap;word-break:break-all}
pre{margin:0;background:var(--bg);border:1px solid var(--line);padding:8px 10px;white-space:pre-wrap;word-break:break-word;max-height:320px;overflow:auto}
pre.stderr{background:#fff5f5}
.cmd pre{border-radius:0 0 6px 6px;border-top:0}
.exit0{color:var(--pass);font-weight:600}.exitN{color:var(--fail);font-weight:600}
.nat{display:grid;grid-template-columns:1fr 36px 1fr;gap:0;align-items:stretch}
.nat .side{border:1px solid var(--line);border-radius:6px;padding:8px 10px;background:var(--bg)}
.nat .arrow{display:flex;align-items:center;justify-content:center;color:var(--muted);font-size:20px}
.nat table{width:auto}
.nat table td{border:0;padding:1px 6px 1px 0;font-family:var(--mono);font-size:12.5px}
.nat .changed{background:var(--flaky-bg);color:#7d4e00;font-weight:700;border-radius:3px;padding:0 3px}
.nat-expl{margin:6px 0 0;font-size:13px}
.attempts{display:flex;gap:4px;align-items:center;font-size:12px;color:var(--muted);margin-top:4px}
table.stats{width:auto}
.stats td,.stats th{padding:2px 10px 2px 0;border:0;font-size:12.5px}
.measure .value{font-size:18px;font-weight:700}
.chart{margin:6px 0}
.chart text{font-family:system-ui,sans-serif;font-size:12px;fill:var(--fg)}
.chart .muted,.topology .muted{fill:var(--muted)}
.topology text{fill:var(--fg)}
dl.env{display:grid;grid-template-columns:max-content 1fr;gap:4px 18px;margin:0}
dl.env dt{color:var(--muted)}dl.env dd{margin:0;word-break:break-word}
ul.artifacts{margin:6px 0 0;padding-left:18px;font-size:13px}
.empty{color:var(--muted);font-style:italic}
[hidden]{display:none!important}
footer{color:var(--muted);font-size:12px;text-align:center;padding:20px}
@media print{
 body{background:#fff;font-size:11pt}nav.toolbar{display:none}header.top{background:#fff;color:#000;border-bottom:2px solid #000}
 header.top .meta,header.top .meta code{color:#000}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 main{max-width:none;padding:0}
 section.scenario,.card{break-inside:avoid-page;box-shadow:none}
 article.check{break-inside:avoid}
 pre{max-height:none;overflow:visible}
 a{color:inherit}
}
`;
