// The transcript's only style sheet and the Content-Security-Policy that goes with it. The policy allows no
// script at all, nothing from the network, and only this exact style sheet (by hash): even markup that got
// into a page by some future bug could neither run nor restyle it. Light and dark follow the OS.

import { createHash } from 'node:crypto';
import { html } from './html';

export const STYLE = html`<style>
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1f;--muted:#62636b;--line:#e3e3e8;--card:#f5f6f8;--accent:#0b62c4;
--sys:#f1f1f4;--warn-bg:#fff4d6;--warn-fg:#5c3d00;--bad-bg:#fde7e7;--bad-fg:#7a1010;--ok-bg:#e4f5e7;--ok-fg:#114a1c}
@media (prefers-color-scheme:dark){:root{--bg:#16171b;--fg:#e7e7ea;--muted:#9a9ba3;--line:#2e3037;--card:#202228;--accent:#7ab4ff;
--sys:#1e2025;--warn-bg:#3d3111;--warn-fg:#ffe2a1;--bad-bg:#3f1b1b;--bad-fg:#ffc4c4;--ok-bg:#173220;--ok-fg:#bff0c9}}
*{box-sizing:border-box}
html{background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif}
body{margin:0 auto;max-width:60rem;padding:1rem}
a{color:var(--accent)}
h1{font-size:1.4rem;margin:.2rem 0}
h2{font-size:1.15rem}
bdi{unicode-bidi:isolate}
.meta,.crumbs{color:var(--muted);font-size:.9rem;margin:.2rem 0}
.banner{border-radius:6px;padding:.6rem .8rem;margin:.6rem 0}
.filtered{background:var(--warn-bg);color:var(--warn-fg);font-weight:600}
.filtered dl{font-weight:400;margin:.3rem 0 0}
.verdict-ok{background:var(--ok-bg);color:var(--ok-fg)}
.verdict-bad,.verdict-unknown{background:var(--bad-bg);color:var(--bad-fg);font-weight:600}
.verdict-expired,.verdict-filtered{background:var(--warn-bg);color:var(--warn-fg)}
.coverage .part th{padding-left:1.2rem;font-weight:400}
.pager{display:flex;gap:1rem;justify-content:space-between;margin:.8rem 0;padding:.4rem 0;border-top:1px solid var(--line);border-bottom:1px solid var(--line)}
.pager .off{color:var(--muted)}
table{border-collapse:collapse;margin:.4rem 0}
th,td{text-align:left;padding:.2rem .8rem .2rem 0;border-bottom:1px solid var(--line);vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.grp{margin:1.5rem 0}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:.3rem 0}
dl.kv dt{color:var(--muted)}
dl.kv dd{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
.day{position:sticky;top:0;z-index:1;text-align:center;font-size:.85rem;font-weight:600;color:var(--muted);background:var(--bg);margin:1rem 0 .4rem;padding:.2rem 0}
.m{display:grid;grid-template-columns:3.2rem 1fr;column-gap:.6rem;padding:.1rem 0;content-visibility:auto;contain-intrinsic-size:auto 2.5rem}
.m:target{background:var(--warn-bg);border-radius:4px}
.h{grid-column:1/3;margin-top:.7rem}
.n{font-weight:600}
.av{display:inline-flex;align-items:center;justify-content:center;width:24px;height:24px;border-radius:50%;margin-right:.4rem;vertical-align:middle;object-fit:cover;background:var(--line);color:var(--muted);font-size:.75rem;font-weight:600;overflow:hidden}
.a{color:var(--muted);font-size:.85rem;margin-left:.3rem}
.t{grid-column:1;color:var(--muted);font-size:.8rem;text-decoration:none;padding-top:.15rem;font-variant-numeric:tabular-nums}
.b{grid-column:2;min-width:0}
.sys .b{color:var(--muted);background:var(--sys);border-radius:6px;padding:.2rem .6rem;font-size:.9rem}
.tx{margin:.1rem 0;white-space:pre-wrap;overflow-wrap:anywhere;unicode-bidi:plaintext}
.st{margin:.1rem 0;font-size:.85rem;font-style:italic;color:var(--bad-fg)}
.gone .b{opacity:.75}
.card{display:flex;gap:.6rem;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.5rem .7rem;margin:.25rem 0;max-width:36rem}
.ic::before{font-size:1.4rem;line-height:1}
.ic-image::before{content:"🖼️"}.ic-file::before{content:"📄"}.ic-voice::before{content:"🎤"}.ic-video::before{content:"🎬"}
.ic-location::before{content:"📍"}.ic-custom::before{content:"🧩"}.ic-unknown::before{content:"❔"}
.ci{min-width:0;flex:1}
.cn{font-weight:600;overflow-wrap:anywhere}
.cm{color:var(--muted);font-size:.85rem}
.ci img,.ci video{display:block;max-width:100%;max-height:20rem;margin-top:.3rem;border-radius:4px}
.ci audio{display:block;width:100%;max-width:24rem;margin-top:.3rem}
.ph{margin:.3rem 0 0;padding:.3rem .5rem;border:1px dashed var(--line);border-radius:4px;font-size:.85rem;color:var(--warn-fg);background:var(--warn-bg)}
pre{margin:.3rem 0;padding:.4rem;background:var(--bg);border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.8rem;max-height:24rem;overflow:auto}
.face{display:inline-block;margin:.1rem 0;padding:0 .4rem;border:1px solid var(--line);border-radius:1rem;font-size:.85rem}
details.relay{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.4rem .7rem;margin:.25rem 0}
details.relay summary{cursor:pointer;font-weight:600}
.ri{border-left:3px solid var(--line);padding-left:.6rem;margin:.4rem 0}
.ri .h{margin-top:0}
@media print{.pager,.crumbs{display:none}.m{content-visibility:visible}.day{position:static}}
</style>`;

const CSS_TEXT = STYLE.toString().slice('<style>'.length, -'</style>'.length);

/**
 * Pasted into the `<meta http-equiv>` of every page. `'self'` images, audio and video are the export's own media
 * files (from file://, Chromium and Firefox take 'self' to mean the export's folder's files); nothing remote.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(CSS_TEXT, 'utf8').digest('base64')}'`,
  "img-src 'self'",
  "media-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
