/**
 * The report's only stylesheet, inlined into every HTML report: no fonts, images or scripts are fetched, so a report
 * opens the same offline, in a sandboxed preview and in Chromium's PDF printer.
 */
export const REPORT_CSS = `
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Liberation Sans",Arial,sans-serif;font-size:10.5pt;color:#1a1a1a;background:#fff}
body{margin:0 auto;max-width:1000px;padding:16px 20px;line-height:1.4}
h1{font-size:18pt;margin:12px 0 4px}
h2{font-size:13.5pt;margin:22px 0 8px;padding-bottom:3px;border-bottom:2px solid #1a1a1a;break-after:avoid}
h3{font-size:11.5pt;margin:14px 0 6px;break-after:avoid}
p{margin:4px 0 8px}
code,.mono{font-family:ui-monospace,"DejaVu Sans Mono","Liberation Mono",Menlo,Consolas,monospace;font-size:9pt}
.hash{font-family:ui-monospace,"DejaVu Sans Mono","Liberation Mono",Menlo,Consolas,monospace;font-size:8.5pt;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:9.5pt}
thead{display:table-header-group}
table.chunk{margin:0}
pre.listing{font-family:ui-monospace,"DejaVu Sans Mono","Liberation Mono",Menlo,Consolas,monospace;font-size:7.5pt;line-height:1.3;white-space:pre-wrap;margin:4px 0 12px}
tr{break-inside:avoid}
th,td{border:1px solid #b8b8b8;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eceff3;font-weight:600}
td.num{text-align:right;white-space:nowrap}
.banner{display:flex;justify-content:space-between;align-items:center;gap:12px;background:#000;padding:6px 10px;font-weight:700;letter-spacing:.04em}
.banner .tlp{font-size:12pt}
.banner .id{color:#fff;font-size:10pt}
.tlp-note{font-size:8.5pt;color:#444;margin:2px 0 8px}
.sample{background:#b00020;color:#fff;font-weight:800;text-align:center;padding:6px;letter-spacing:.08em;margin:6px 0}
.watermark{position:fixed;top:45%;left:0;right:0;text-align:center;font-size:72pt;font-weight:900;color:rgba(176,0,32,.12);transform:rotate(-30deg);pointer-events:none;z-index:0}
.meta{width:auto;min-width:60%}
.meta th{width:190px;background:#f5f6f8}
.overview{font-size:11pt}
.callout{border:3px solid #b00020;background:#fff3f4;padding:8px 10px;margin:8px 0 12px;break-inside:avoid}
.callout .label{display:inline-block;background:#b00020;color:#fff;font-weight:800;padding:1px 6px;margin-right:6px;letter-spacing:.06em}
.ok{color:#0b6b2b;font-weight:600}
.warn{color:#8a5a00;font-weight:600}
.bad{color:#b00020;font-weight:700}
.muted{color:#666}
.pill{display:inline-block;border:1px solid currentColor;border-radius:8px;padding:0 6px;font-size:8.5pt}
.control{border:1px solid #b8b8b8;padding:8px 10px;margin:10px 0}
.control table,.control h3{break-inside:avoid}
.control h3{margin-top:0}
.catalog{font-size:9pt;color:#333;margin:4px 0 6px}
.catalog .line{margin:1px 0}
.sig{border:1px solid #1a1a1a;padding:8px 10px;margin:8px 0;break-inside:avoid}
.sig .who{font-weight:700;font-size:11pt}
.foot{margin-top:24px;border-top:1px solid #999;padding-top:6px;font-size:8.5pt;color:#333}
.small{font-size:8.5pt}
table.findings{table-layout:fixed}
table.findings td{overflow-wrap:anywhere}
table.findings col.finding{width:50%}
table.findings col.severity{width:10%}
table.findings col.attack{width:11%}
table.findings col.when{width:20%}
table.findings col.events{width:9%}
table.findings td.when{white-space:nowrap;overflow-wrap:normal}
table.findings tr{break-inside:avoid}
table.calls{table-layout:fixed;font-size:7pt;margin:2px 0 8px}
table.calls th,table.calls td{padding:1px 3px;line-height:1.2;white-space:nowrap;overflow:hidden}
table.calls td.wrap{white-space:normal;overflow-wrap:anywhere}
table.calls td.cut{text-overflow:ellipsis}
table.calls col.at{width:20%}
table.calls col.op{width:23%}
table.calls col.res{width:29%}
table.calls col.region{width:9%}
table.calls col.status{width:11%}
table.calls col.event{width:8%}
h3.calls{font-size:9.5pt;margin:10px 0 2px;overflow-wrap:anywhere}
ol.attest{margin:4px 0 8px 18px;padding:0}
@media print{body{max-width:none;padding:0}.watermark{top:40%}}
`;
