/** Escapes text for HTML element and attribute content. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export function formatRupiah(amount: number): string {
  return `Rp ${amount.toLocaleString('id-ID')}`;
}

/** The gateway's own pages: plain, readable on a phone, no external assets. */
export function page(title: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f3f5f9; color: #1d2433; margin: 0; }
  main { max-width: 420px; margin: 48px auto; background: #fff; border-radius: 16px; box-shadow: 0 6px 24px rgba(20,30,60,.08); padding: 28px; }
  h1 { font-size: 20px; margin: 0 0 8px; } .muted { color: #6b7487; font-size: 14px; }
  .amount { font-size: 28px; font-weight: 700; margin: 16px 0; } .row { display: flex; justify-content: space-between; padding: 6px 0; border-bottom: 1px solid #eef0f4; font-size: 14px; }
  .status { margin-top: 20px; padding: 12px; border-radius: 10px; background: #eef2ff; font-weight: 600; text-align: center; }
  .status.error { background: #fdecec; color: #a3212b; } a.button { display: inline-block; margin-top: 16px; padding: 10px 16px; border-radius: 10px; background: #4C3494; color: #fff; text-decoration: none; }
  .spinner { width: 28px; height: 28px; border: 3px solid #dcd6f0; border-top-color: #4C3494; border-radius: 50%; animation: spin 1s linear infinite; margin: 12px auto; }
  @keyframes spin { to { transform: rotate(360deg); } } footer { text-align: center; font-size: 12px; color: #9aa1b1; margin-top: 18px; }
</style></head>
<body><main>${body}<footer>ewallet-gateway</footer></main>${script ? `<script>${script}</script>` : ''}</body></html>`;
}

export function errorPage(resultCd: string, resultMsg: string): string {
  return page('Payment error', `<h1>Payment could not be started</h1><div class="status error" role="alert">${escapeHtml(resultMsg)} (${escapeHtml(resultCd)})</div><p class="muted">Please return to the shop and try again.</p>`);
}
