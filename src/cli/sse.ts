// A Server-Sent Events reader over a fetch() response body: yields each message (event, id, data)
// and each comment line (": ready", ": ping"), as the stream delivers them.

export type SseItem = { kind: "message"; event: string; id?: string; data: string } | { kind: "comment"; text: string };

export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseItem, void, undefined> {
  const decoder = new TextDecoder();
  let buf = "";
  let event = "message";
  let id: string | undefined;
  let data: string[] = [];
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buf.search(/\r?\n/)) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + (buf[nl] === "\r" ? 2 : 1));
      if (line === "") {
        if (data.length > 0) yield { kind: "message", event, ...(id !== undefined ? { id } : {}), data: data.join("\n") };
        event = "message";
        data = [];
        continue;
      }
      if (line.startsWith(":")) {
        yield { kind: "comment", text: line.slice(1).trim() };
        continue;
      }
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "data") data.push(value);
      else if (field === "event") event = value;
      else if (field === "id") id = value;
    }
  }
}
