// Copy-ready settings for the agents a cluster already runs (the Logs tab shows them beside our
// own ship commands): each points at one of the server's HTTP protocols with the log's token
// (docs/ingest.md, "Other agents", has the same snippets and the field naming).
export function agentSnippets(token: string, origin: string): Array<{ title: string; text: string }> {
  const u = new URL(origin);
  const port = u.port !== "" ? u.port : u.protocol === "https:" ? "443" : "80";
  const tls = u.protocol === "https:" ? "On" : "Off";
  const withAuth = `${u.protocol}//logharbor:${token}@${u.host}`;
  return [
    {
      title: "OpenTelemetry collector (OTLP/HTTP, POST /v1/logs)",
      text:
        `exporters:\n  otlphttp/logharbor:\n    endpoint: ${origin}   # the exporter posts to /v1/logs\n` +
        `    headers:\n      Authorization: "Bearer ${token}"\n    compression: gzip\n` +
        `service:\n  pipelines:\n    logs:\n      receivers: [otlp]\n      exporters: [otlphttp/logharbor]`,
    },
    {
      title: "Vector (Loki sink, protobuf + snappy; or type = \"elasticsearch\")",
      text:
        `[sinks.logharbor]\ntype = "loki"\ninputs = ["my_source"]\nendpoint = "${origin}"\nencoding.codec = "text"\n` +
        `labels.host = "{{ host }}"\nlabels.job = "vector"\nauth.strategy = "bearer"\nauth.token = "${token}"`,
    },
    {
      title: "Fluent Bit (OpenTelemetry output; the loki and es outputs work too)",
      text:
        `[OUTPUT]\n    Name        opentelemetry\n    Match       *\n    Host        ${u.hostname}\n    Port        ${port}\n` +
        `    Tls         ${tls}\n    Logs_uri    /v1/logs\n    Header      Authorization Bearer ${token}`,
    },
    {
      title: "Promtail / Grafana Alloy (Loki push API)",
      text:
        `# promtail.yaml\nclients:\n  - url: ${origin}/loki/api/v1/push\n    tenant_id: ${token}\n\n` +
        `// Alloy\nloki.write "logharbor" {\n  endpoint {\n    url          = "${origin}/loki/api/v1/push"\n    bearer_token = "${token}"\n  }\n}`,
    },
    {
      title: "Filebeat (Elasticsearch output, POST /_bulk)",
      text:
        `output.elasticsearch:\n  hosts: ["${origin}"]\n  username: "filebeat"\n  password: "${token}"\n  allow_older_versions: true\n` +
        `setup.ilm.enabled: false\nsetup.template.enabled: false`,
    },
    {
      title: "Docker (Loki logging driver)",
      text:
        `docker plugin install grafana/loki-docker-driver:latest --alias loki --grant-all-permissions\n` +
        `docker run --log-driver=loki \\\n  --log-opt loki-url="${withAuth}/loki/api/v1/push" \\\n  --log-opt loki-external-labels="job=docker" nginx`,
    },
  ];
}
