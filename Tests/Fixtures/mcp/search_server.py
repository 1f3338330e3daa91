#!/usr/bin/env python3
"""A small MCP server for Apex's tests: newline-delimited JSON-RPC 2.0 over stdio.

Standard library only. It answers `initialize`, `ping`, `tools/list` and `tools/call`, and
ignores notifications (`notifications/initialized`, `notifications/cancelled`). Each
`tools/call` runs in a thread of its own, so a `slow` call does not hold up the others.

Tools:
  search {query, limit?}   a text line per result and structuredContent {query, results}
                           (results from a fixed corpus of five documents, matched by word)
  fetch {url}              the document at one of the corpus's URLs as text; isError for others
  fail {message?}          isError: true, the message as text
  slow {seconds}           sleeps, then answers "slept N s" and structuredContent {started, ended}
                           (the server's clock, seconds since the epoch)
  image {}                 one image content (a 1x1 PNG) and one text content
  environment {name?}      structuredContent {cwd, value}: the working folder and $name
  exit {status?}           the process exits at once, without answering
  spawn {}                 starts `sleep 300` as a child and answers structuredContent {pid}

Options (for tests of failures):
  --exit-at-once STATUS    print a line to stderr and exit with STATUS before reading anything
  --never-initialize       read requests but never answer `initialize`
  --tools NAME,NAME        list only these tools
  --linger                 at the end of stdin, ignore SIGTERM and keep running (until SIGKILL)
It writes a line to stderr when it starts, and before exiting on `exit`.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time

PROTOCOL_VERSION = "2025-06-18"

CORPUS = [
    {"title": "Durable execution", "url": "https://docs.example/durable",
     "text": "A durable run survives crashes: every event is committed before it is acted on."},
    {"title": "Workflow YAML", "url": "https://docs.example/yaml",
     "text": "A workflow is a YAML file of steps: llm, http, wait, sleep, switch, parallel, foreach."},
    {"title": "Signals", "url": "https://docs.example/signals",
     "text": "A wait step pauses a run until a signal with a matching payload arrives."},
    {"title": "Retries", "url": "https://docs.example/retries",
     "text": "A failed step is retried by its policy: attempts, backoff and the errors it retries."},
    {"title": "Model Context Protocol", "url": "https://docs.example/mcp",
     "text": "MCP servers offer tools to agents over stdio or HTTP with JSON-RPC 2.0."},
]

TOOLS = [
    {"name": "search", "description": "Search the documentation; one line per result.",
     "inputSchema": {"type": "object",
                     "properties": {"query": {"type": "string", "description": "Words to look for."},
                                    "limit": {"type": "integer", "minimum": 1, "default": 3}},
                     "required": ["query"]}},
    {"name": "fetch", "description": "Fetch a document by URL.",
     "inputSchema": {"type": "object", "properties": {"url": {"type": "string"}}, "required": ["url"]}},
    {"name": "fail", "description": "Always fails (isError).",
     "inputSchema": {"type": "object", "properties": {"message": {"type": "string"}}}},
    {"name": "slow", "description": "Sleeps for a number of seconds, then answers.",
     "inputSchema": {"type": "object", "properties": {"seconds": {"type": "number"}}, "required": ["seconds"]}},
    {"name": "image", "description": "Returns a tiny PNG image and a caption.",
     "inputSchema": {"type": "object", "properties": {}}},
    {"name": "environment", "description": "The server's working folder and one environment variable.",
     "inputSchema": {"type": "object", "properties": {"name": {"type": "string"}}}},
    {"name": "exit", "description": "Exits the server at once without answering.",
     "inputSchema": {"type": "object", "properties": {"status": {"type": "integer"}}}},
    {"name": "spawn", "description": "Starts a child process that sleeps; answers its pid.",
     "inputSchema": {"type": "object", "properties": {}}},
]

# A 1x1 transparent PNG, base64.
PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
       "60e6kgAAAABJRU5ErkJggg==")

write_lock = threading.Lock()


def log(message):
    sys.stderr.write("search_server: " + message + "\n")
    sys.stderr.flush()


def send(message):
    line = json.dumps(message, separators=(",", ":"))
    with write_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def text(value):
    return {"type": "text", "text": value}


def call_tool(name, arguments):
    """The result of a tools/call, or raises KeyError for an unknown tool."""
    if name == "search":
        query = str(arguments.get("query", ""))
        limit = int(arguments.get("limit", 3))
        words = [w for w in query.lower().split() if w]
        hits = [d for d in CORPUS
                if any(w in (d["title"] + " " + d["text"]).lower() for w in words)][:limit]
        results = [{"title": d["title"], "url": d["url"]} for d in hits]
        lines = ["%s <%s>" % (d["title"], d["url"]) for d in hits] or ["no results for %r" % query]
        return {"content": [text("\n".join(lines))],
                "structuredContent": {"query": query, "results": results}}
    if name == "fetch":
        url = str(arguments.get("url", ""))
        for d in CORPUS:
            if d["url"] == url:
                return {"content": [text(d["text"])]}
        return {"content": [text("no document at %s" % url)], "isError": True}
    if name == "fail":
        return {"content": [text(str(arguments.get("message", "the tool failed")))], "isError": True}
    if name == "slow":
        seconds = float(arguments.get("seconds", 1))
        started = time.time()
        time.sleep(seconds)
        return {"content": [text("slept %g s" % seconds)], "structuredContent": {"started": started, "ended": time.time()}}
    if name == "image":
        return {"content": [{"type": "image", "data": PNG, "mimeType": "image/png"}, text("a tiny image")]}
    if name == "environment":
        variable = arguments.get("name")
        value = os.environ.get(variable) if variable else None
        return {"content": [text(os.getcwd())], "structuredContent": {"cwd": os.getcwd(), "value": value}}
    if name == "exit":
        status = int(arguments.get("status", 0))
        log("exiting with status %d as asked" % status)
        sys.stdout.flush()
        os._exit(status)
    if name == "spawn":
        child = subprocess.Popen(["sleep", "300"])
        return {"content": [text("started %d" % child.pid)], "structuredContent": {"pid": child.pid}}
    raise KeyError(name)


def answer_call(request_id, params):
    name = params.get("name")
    arguments = params.get("arguments") or {}
    try:
        result = call_tool(name, arguments)
    except KeyError:
        send({"jsonrpc": "2.0", "id": request_id, "error": {"code": -32602, "message": "Unknown tool: %s" % name}})
        return
    send({"jsonrpc": "2.0", "id": request_id, "result": result})


def main(argv):
    never_initialize = "--never-initialize" in argv
    listed = TOOLS
    if "--exit-at-once" in argv:
        status = int(argv[argv.index("--exit-at-once") + 1])
        log("cannot start: exiting with status %d as asked" % status)
        sys.exit(status)
    if "--tools" in argv:
        names = argv[argv.index("--tools") + 1].split(",")
        listed = [t for t in TOOLS if t["name"] in names]
    log("started, pid %d" % os.getpid())

    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            message = json.loads(line)
        except ValueError:
            send({"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "Parse error"}})
            continue
        method = message.get("method")
        request_id = message.get("id")
        if request_id is None:
            continue  # a notification (initialized, cancelled) or a response: nothing to answer
        params = message.get("params") or {}
        if method == "initialize":
            if never_initialize:
                continue
            send({"jsonrpc": "2.0", "id": request_id, "result": {
                "protocolVersion": params.get("protocolVersion", PROTOCOL_VERSION),
                "capabilities": {"tools": {"listChanged": False}},
                "serverInfo": {"name": "apex-test-search", "version": "1.0.0"}}})
        elif method == "ping":
            send({"jsonrpc": "2.0", "id": request_id, "result": {}})
        elif method == "tools/list":
            send({"jsonrpc": "2.0", "id": request_id, "result": {"tools": listed}})
        elif method == "tools/call":
            threading.Thread(target=answer_call, args=(request_id, params), daemon=True).start()
        else:
            send({"jsonrpc": "2.0", "id": request_id,
                  "error": {"code": -32601, "message": "Method not found: %s" % method}})
    if "--linger" in argv:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        log("stdin closed, lingering")
        while True:
            time.sleep(1)
    log("stdin closed, exiting")


if __name__ == "__main__":
    main(sys.argv[1:])
