// Asked for when the server refuses a call for want of an API key (it listens beyond loopback).
import { useState } from "preact/hooks";
import { apiKey, setApiKey } from "../api.js";

export function ApiKeyDialog(p: { onDone(): void }) {
  const [key, setKey] = useState(apiKey());
  return (
    <div class="modal-backdrop" role="dialog" aria-label="API key">
      <form
        class="modal"
        onSubmit={(e) => {
          e.preventDefault();
          setApiKey(key.trim());
          p.onDone();
        }}
      >
        <h2>API key needed</h2>
        <p>
          This server is reachable from other machines, so it asks for an API key. Create one with <code>logharbor keys create --read-only</code>; the first admin key is in <code>DATA_DIR/admin-api-key</code>.
        </p>
        <input type="password" name="api-key" autoFocus value={key} placeholder="API key" onInput={(e) => setKey(e.currentTarget.value)} />
        <p class="muted">Kept in this browser (localStorage) and sent as the x-api-key header.</p>
        <div class="modal-actions">
          <button type="submit" class="btn primary">Use this key</button>
        </div>
      </form>
    </div>
  );
}
