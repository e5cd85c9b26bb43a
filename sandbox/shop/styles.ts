/** The shop's one stylesheet, inlined in every page (no external assets). Phone first, a single column. */
export const shopCss = `
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #2b1d14; background: #f7efe6; line-height: 1.4; }
.brand { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 12px; padding: 14px 18px; background: #3b2416; color: #f7efe6; }
.brand .logo { color: #f7efe6; text-decoration: none; font-weight: 800; font-size: 20px; letter-spacing: .2px; }
.brand .tag { font-size: 12px; opacity: .75; }
main { max-width: 480px; margin: 0 auto; padding: 16px 14px 40px; }
h1 { font-size: 22px; margin: 6px 0 14px; }
h2 { font-size: 16px; margin: 0 0 10px; }
.menu { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; }
.item { display: flex; align-items: center; gap: 12px; background: #fff; border-radius: 14px; padding: 12px; box-shadow: 0 1px 6px rgba(59,36,22,.08); }
.pic { width: 48px; height: 48px; display: grid; place-items: center; border-radius: 50%; flex: none; font-weight: 800; font-size: 16px; letter-spacing: .5px; color: #fff; background: var(--tint); box-shadow: inset 0 0 0 4px rgba(255,255,255,.25); }
.what { flex: 1; min-width: 0; }
.name { font-weight: 700; }
.desc { font-size: 13px; color: #7a6455; }
.price { font-weight: 600; color: #8a4b1f; margin-top: 2px; }
.qty { display: flex; align-items: center; gap: 4px; flex: none; }
.qty input { width: 40px; text-align: center; font-size: 16px; padding: 6px 0; border: 1px solid #dccbbb; border-radius: 8px; -moz-appearance: textfield; }
.qty input::-webkit-outer-spin-button, .qty input::-webkit-inner-spin-button { -webkit-appearance: none; margin: 0; }
.step { width: 32px; height: 32px; border-radius: 50%; border: 1px solid #dccbbb; background: #fff; font-size: 18px; line-height: 1; cursor: pointer; color: #3b2416; }
.step:hover { background: #f3e3d3; }
.total { display: flex; justify-content: space-between; align-items: baseline; margin: 16px 2px; font-size: 18px; }
.total strong { font-size: 22px; }
fieldset.wallets { border: 0; padding: 0; margin: 0 0 16px; display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
fieldset.wallets legend { font-weight: 700; margin-bottom: 8px; padding: 0; }
.wallet { display: flex; align-items: center; gap: 8px; background: #fff; border: 2px solid #eadccd; border-radius: 12px; padding: 12px; cursor: pointer; font-weight: 700; color: var(--brand); }
.wallet:has(input:checked) { border-color: var(--brand); box-shadow: 0 0 0 3px color-mix(in srgb, var(--brand) 18%, transparent); }
.wallet input { accent-color: var(--brand); width: 18px; height: 18px; margin: 0; }
.wallet:last-of-type:nth-of-type(odd) { grid-column: 1 / -1; }
.field-label { display: block; font-weight: 700; margin-bottom: 6px; }
input[type=tel] { width: 100%; font-size: 18px; padding: 12px; border: 1px solid #dccbbb; border-radius: 12px; background: #fff; }
.hint { font-size: 13px; color: #7a6455; margin: 6px 2px 18px; }
.hint a, .back a.quiet { color: #8a4b1f; }
.pay, .button-link { display: block; width: 100%; text-align: center; border: 0; border-radius: 14px; padding: 15px; font-size: 18px; font-weight: 800; background: #c8662b; color: #fff; cursor: pointer; text-decoration: none; }
.pay:hover, .button-link:hover { background: #b0561f; }
.pay.astra { background: #1B3A6B; border-bottom: 3px solid #D4A537; }
.pay.astra:hover { background: #12294D; }
.secondary { display: block; width: 100%; text-align: center; border: 2px solid #c8662b; border-radius: 14px; padding: 12px; font-size: 16px; font-weight: 700; background: #fff; color: #8a4b1f; cursor: pointer; }
.secondary:hover { background: #fbf1e8; }
.then-pay { margin: 12px 0 0; }
.small-line { margin: 0 0 10px; font-size: 14px; color: #5a4638; }
dl + .small-line { margin-top: 12px; padding-top: 10px; border-top: 1px solid #f0e4d8; }
.back form { margin: 0; }
.back .quiet + .quiet { margin-left: 14px; }
.error { background: #fde8e6; color: #8b1c13; border: 1px solid #f3b7b0; border-radius: 12px; padding: 12px; margin-bottom: 14px; }
.result { --tone: #b9a89a; position: relative; overflow: hidden; text-align: center; background: #fff; border-radius: 16px; padding: 22px 14px 18px; margin-bottom: 12px; box-shadow: 0 1px 6px rgba(59,36,22,.08); }
.result::before { content: ""; position: absolute; inset: 0 0 auto 0; height: 6px; background: var(--tone); }
.result.ok { --tone: #1f9d55; } .result.bad { --tone: #d64535; } .result.wait { --tone: #e0a526; }
.badge-big { width: 56px; height: 56px; margin: 0 auto; border-radius: 50%; display: grid; place-items: center; font-size: 28px; font-weight: 800; color: #fff; background: var(--tone); }
.status-label { margin: 10px 0 0; font-size: 12px; text-transform: uppercase; letter-spacing: .08em; color: #7a6455; }
.result h1 { margin: 2px 0 6px; font-size: 28px; }
.result .line { margin: 0; color: #5a4638; }
.card { background: #fff; border-radius: 16px; padding: 14px; margin-bottom: 12px; box-shadow: 0 1px 6px rgba(59,36,22,.08); }
.lines { list-style: none; padding: 0; margin: 0 0 8px; }
.lines li, dl div { display: flex; justify-content: space-between; gap: 12px; padding: 4px 0; }
dl { margin: 0; border-top: 1px solid #f0e4d8; padding-top: 6px; }
dt { color: #7a6455; } dd { margin: 0; text-align: right; font-weight: 600; overflow-wrap: anywhere; }
code { font-size: 12px; }
.notes { list-style: none; padding: 0; margin: 0; display: grid; gap: 6px; }
.notes li { display: grid; grid-template-columns: 1fr auto; gap: 2px 10px; background: #faf5ef; border-radius: 10px; padding: 8px 10px; font-size: 14px; }
.notes .when { grid-column: 1 / -1; font-size: 12px; color: #7a6455; font-variant-numeric: tabular-nums; }
.notes .what { font-weight: 700; }
.notes small { font-weight: 400; color: #7a6455; white-space: nowrap; }
.notes .valid, .notes .invalid { white-space: nowrap; }
.valid { color: #1f7a45; font-weight: 600; } .invalid { color: #b3261e; font-weight: 700; }
.empty { color: #7a6455; margin: 0; }
.small { font-size: 12px; color: #7a6455; margin: 10px 0 0; }
.back { margin-top: 16px; text-align: center; }
.back .quiet { display: inline-block; margin-top: 10px; font-size: 14px; }
`;
