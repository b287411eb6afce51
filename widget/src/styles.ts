// The widget's stylesheet, applied inside its Shadow DOM (the host's CSS cannot reach in, this cannot
// leak out). Phone first: one column, 16 px inputs (no zoom on focus), 44 px touch targets.
// Sizes in em of the widget's own 16 px, never rem: the host page decides the root font size.
export const CSS = `
:host{all:initial;display:block;color-scheme:light}
*{box-sizing:border-box}
.w{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#0f172a;background:#fff;border:1px solid #e2e8f0;border-radius:16px;padding:16px;max-width:36em;width:100%}
h2{font-size:1.25em;line-height:1.3;margin:0 0 4px;overflow-wrap:anywhere}
h3{font-size:1.125em;margin:0 0 8px}
p{margin:0 0 8px}
.m{color:#475569;font-size:.9375em}
fieldset{border:0;margin:12px 0 0;padding:0;min-width:0}
legend{font-weight:600;padding:0;margin-bottom:6px}
.t{display:flex;gap:10px;align-items:flex-start;border:1px solid #cbd5e1;border-radius:12px;padding:10px 12px;margin-bottom:8px;min-height:44px;cursor:pointer}
.t:has(input:checked){border-color:#1f57d1;background:#eff4ff}
.t.x{cursor:default;background:#f8fafc;color:#64748b}
.t input{margin:4px 0 0;width:20px;height:20px;flex:none;accent-color:#1f57d1}
.tb{flex:1;min-width:0;display:flex;flex-direction:column}
.tn{font-weight:600;overflow-wrap:anywhere}
.tr{display:flex;flex-wrap:wrap;gap:4px 12px;font-size:.9375em}
.s{color:#166534}.s.o{color:#b91c1c}
.td{font-size:.875em;color:#475569;overflow-wrap:anywhere}
.f{display:flex;flex-direction:column;margin-top:12px}
.f>label,.l{font-weight:600;margin-bottom:4px}
.r{font-weight:400;color:#64748b;font-size:.875em}
input[type=text],input[type=email],select{font:inherit;font-size:16px;min-height:44px;padding:8px 12px;border:1px solid #94a3b8;border-radius:10px;background:#fff;color:inherit;width:100%}
.c{display:flex;gap:10px;align-items:center;min-height:44px}
.c input{width:20px;height:20px;margin:0;accent-color:#1f57d1}
[aria-invalid=true]{border-color:#b91c1c!important;outline-color:#b91c1c}
.h{font-size:.875em;color:#475569;margin:4px 0 0}
.e{font-size:.875em;color:#b91c1c;margin:4px 0 0}
.e:empty,.fe:empty{display:none}
.fe{color:#991b1b;background:#fef2f2;border:1px solid #fecaca;border-radius:10px;padding:8px 12px;margin:12px 0 0}
button,.b{font:inherit;font-weight:600;display:inline-flex;align-items:center;justify-content:center;min-height:44px;padding:10px 18px;border-radius:10px;border:0;background:#1f57d1;color:#fff;text-decoration:none;cursor:pointer;width:100%;margin-top:16px;text-align:center}
button[disabled]{opacity:.7;cursor:progress}
.b2{background:#fff;color:#1f57d1;border:1px solid #1f57d1}
:focus-visible{outline:3px solid #1f57d1;outline-offset:2px}
.ok{border-radius:12px;background:#f0fdf4;border:1px solid #bbf7d0;padding:12px}
.ok:focus{outline:3px solid #166534}
.n{border-radius:12px;background:#f8fafc;border:1px solid #e2e8f0;padding:10px 12px;margin-top:12px}
.p{font-size:.8125em;color:#64748b;margin:12px 0 0;text-align:center}
.p a{color:inherit}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (min-width:480px){.w{padding:20px}}
`;
