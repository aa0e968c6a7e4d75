/** The report's stylesheet, inlined into every file: system fonts, no external assets. */
export const REPORT_CSS = `
:root{--bg:#f4f5f7;--card:#fff;--ink:#1c2330;--muted:#5f6b7a;--line:#dde1e7;--soft:#eef1f5;--accent:#1f4e79;--accent-soft:#e3ecf6;--flag:#b42318;--flag-soft:#fdecea;--bar:#4a6f96;--ok:#2f6f4e}
*{box-sizing:border-box}
html{scroll-padding-top:64px}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--accent)}
.mono,code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px}
.muted{color:var(--muted);font-weight:normal}
.nowrap{white-space:nowrap}
.topbar{position:sticky;top:0;z-index:10;background:#17283b;color:#fff;display:flex;gap:24px;align-items:center;padding:10px 24px}
.topbar .brand{font-weight:600;letter-spacing:.02em}
.topbar a{color:#cfe0f3;text-decoration:none}
.topbar a:hover{color:#fff;text-decoration:underline}
main{max-width:1280px;margin:0 auto;padding:20px 24px 64px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:18px 20px;margin:0 0 18px}
h1{font-size:22px;margin:0 0 2px}
h2{font-size:18px;margin:0 0 12px}
h3{font-size:17px;margin:0}
h4{font-size:14px;margin:20px 0 8px;color:#2b3645}
.subtitle{color:var(--muted);margin:0 0 16px}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin:0}
.stat{background:var(--soft);border-radius:6px;padding:10px 12px}
.stat dt{color:var(--muted);font-size:12px}
.stat dd{margin:2px 0 0;font-size:20px;font-weight:600}
.stat.alert{background:var(--flag-soft)}
.stat.alert dd{color:var(--flag)}
.meta{color:var(--muted);font-size:12.5px;margin:12px 0 0}
.note{max-width:none}
.note ul{margin:6px 0 0;padding-left:20px}
.note li{margin:3px 0}
.section-head{display:flex;align-items:baseline;justify-content:space-between;gap:16px;flex-wrap:wrap}
.controls{display:flex;gap:14px;align-items:center;flex-wrap:wrap;margin:0 0 10px}
.controls input[type=search]{width:min(460px,100%);padding:7px 10px;border:1px solid #b9c1cc;border-radius:6px;font:inherit}
.controls label{display:flex;gap:6px;align-items:center;color:#2b3645}
.table-wrap{overflow-x:auto}
.cluster-list{max-height:min(640px,70vh);overflow-y:auto;border:1px solid var(--line);border-radius:6px}
.cluster-list table.data th{z-index:1}
table.data{border-collapse:collapse;width:100%}
table.data th,table.data td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
table.data th{font-size:12px;color:var(--muted);font-weight:600;background:#fafbfc;position:sticky;top:0}
table.data td.num,table.data th.num{text-align:right;font-variant-numeric:tabular-nums}
.cluster-table tbody tr{cursor:pointer}
.cluster-table tbody tr:hover,.cluster-table tbody tr.selected{background:var(--accent-soft)}
.only-flagged tr.not-flagged{display:none}
.score{display:inline-flex;align-items:center;gap:8px;white-space:nowrap}
.meter{display:inline-block;width:72px;height:8px;background:#e4e8ee;border-radius:4px;overflow:hidden}
.meter>span{display:block;height:100%;background:var(--bar)}
.meter-flagged>span{background:var(--flag)}
.score-value{font-variant-numeric:tabular-nums;min-width:2.5em}
.badge{display:inline-block;font-size:11.5px;font-weight:600;padding:1px 8px;border-radius:10px;white-space:nowrap}
.badge-flagged{background:var(--flag-soft);color:var(--flag);border:1px solid #f3b8b2}
.badge-quiet{background:var(--soft);color:var(--muted);border:1px solid var(--line)}
.cap{white-space:nowrap}
.details-hint{color:var(--muted);margin:0}
.cluster-detail{display:none;scroll-margin-top:64px}
.cluster-detail:target{display:block;outline:none;box-shadow:0 0 0 2px var(--accent-soft)}
.details:has(.cluster-detail:target) .details-hint{display:none}
.detail-nav{display:flex;gap:18px;font-size:13px;margin:0 0 10px}
.detail-head{display:flex;justify-content:space-between;align-items:center;gap:12px;flex-wrap:wrap;border-bottom:1px solid var(--line);padding-bottom:10px}
.detail-head .rank{color:var(--muted);font-size:13px;font-weight:normal;margin-left:6px}
.detail-badges{display:flex;gap:10px;align-items:center}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:8px 18px;margin:12px 0 0}
.facts dt{color:var(--muted);font-size:12px}
.facts dd{margin:0;font-weight:600}
ol.evidence{margin:0;padding:0;list-style:none;display:grid;gap:8px}
.evidence-item{border:1px solid var(--line);border-left:3px solid var(--accent);border-radius:6px;padding:8px 12px;background:#fbfcfd}
.evidence-head{display:flex;justify-content:space-between;gap:12px}
.signal{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;background:var(--accent-soft);color:var(--accent);padding:0 6px;border-radius:4px;white-space:nowrap}
.weight{color:var(--muted);font-size:12px;font-variant-numeric:tabular-nums}
.evidence-detail{margin:4px 0 0}
.examples{margin:4px 0 0;padding-left:18px;color:#3d4857}
.examples q{font-style:italic;overflow-wrap:anywhere}
.chart-grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.2fr);gap:18px;margin-top:16px}
figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:10px 12px;position:relative}
figcaption{font-weight:600;font-size:13px;margin-bottom:6px}
svg.chart{display:block;max-width:100%;height:auto}
svg.timeline-chart{width:100%}
.chart-label{font-size:12px;fill:#2b3645}
.chart-value{font-size:11.5px;fill:var(--muted)}
.chart-bar{fill:var(--bar)}
.chart-bar-flagged{fill:#b4483c}
.chart-threshold{stroke:#b4483c;stroke-width:1.5;stroke-dasharray:4 3}
svg.score-chart{width:100%}
text.chart-tick{stroke:none;fill:var(--muted);font-size:11px}
.chart-area{fill:#8fb0d3;stroke:var(--accent);stroke-width:1}
.chart-gridline{stroke:#e4e8ee;stroke-width:1}
.chart-tick{stroke:#b9c1cc}
.chart-axis{font-size:11px;fill:var(--muted)}
.chart-cursor{stroke:#17283b;stroke-dasharray:3 3}
.chart-caption{color:var(--muted);font-size:12px;margin:4px 0 0}
.tooltip{position:absolute;pointer-events:none;background:#17283b;color:#fff;font-size:12px;padding:3px 8px;border-radius:4px;white-space:nowrap;transform:translate(-50%,-120%)}
.two-col{display:grid;grid-template-columns:minmax(0,1.3fr) minmax(0,1fr);gap:18px}
table.indicators{border-collapse:collapse;width:100%}
table.indicators th{text-align:left;font-weight:600;font-size:12.5px;color:#2b3645;padding:4px 10px 4px 0;white-space:nowrap;vertical-align:top;width:1%}
table.indicators td{padding:3px 0}
.chip{display:inline-block;background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:0 6px;margin:1px 4px 1px 0;overflow-wrap:anywhere}
ol.templates{margin:0;padding-left:20px}
ol.templates li{margin-bottom:10px}
.template-meta{color:var(--muted);font-size:12.5px}
pre.template-text{white-space:pre-wrap;overflow-wrap:anywhere;background:#f7f8fa;border:1px solid var(--line);border-radius:6px;padding:8px 10px;margin:4px 0 0;max-height:14em;overflow:auto}
mark.slot{background:#fff1c2;color:#7a5200;border-radius:3px;padding:0 2px}
.evidence-cell{max-width:520px}
.evidence-cell details{margin-top:2px}
.evidence-cell summary{cursor:pointer;font-size:12.5px}
.evidence-line+.evidence-line,details .evidence-line{margin-top:2px}
a.cluster-link,td.mono{white-space:nowrap}
.more,.empty{color:var(--muted)}
.pager{display:flex;gap:12px;align-items:center;justify-content:flex-end;margin-top:10px}
.pager button,th button{font:inherit;border:1px solid #b9c1cc;background:#fff;border-radius:6px;padding:4px 12px;cursor:pointer}
th button{border:none;background:none;padding:0;color:inherit;font-weight:600;font-size:12px}
th button:hover{color:var(--accent)}
.pager button:disabled{opacity:.45;cursor:default}
html:not(.js) .js-only,.js .no-js{display:none}
@media (max-width:900px){.chart-grid,.two-col{grid-template-columns:1fr}.cluster-table .col-optional,.cluster-table .meter{display:none}.cluster-table td.nowrap{white-space:normal}.cluster-table th,.cluster-table td{padding:6px 4px}.cluster-table td.why{min-width:7em}.cluster-table .badge{white-space:normal}}
.cluster-table td.why{min-width:10em;font-size:12.5px;color:#2b3645}
@media print{.topbar,.controls,.pager,.detail-nav{display:none}.cluster-list{max-height:none;overflow:visible}.cluster-detail{display:block;break-before:page}}
`;
